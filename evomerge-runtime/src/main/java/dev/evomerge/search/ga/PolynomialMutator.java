package dev.evomerge.search.ga;

import io.jenetics.DoubleGene;
import java.util.random.RandomGenerator;

/**
 * Polynomial mutation for bounded real genes (Deb and Goyal, "A Combined Genetic Adaptive Search (GeneAS) for
 * Engineering Design", 1996; the bounded form of Deb et al.'s NSGA-II): a mutated gene moves by a perturbation
 * drawn from a polynomial distribution with index {@code eta} (larger: smaller moves), scaled to the gene's range
 * and kept within it. Each gene mutates independently with the alterer's probability ({@link GeneMutator}).
 *
 * <p>Immutable and thread-safe.
 *
 * @param <C> the fitness type
 */
public final class PolynomialMutator<C extends Comparable<? super C>> extends GeneMutator<C> {

    private final double eta;

    /**
     * @param probability the probability that a gene mutates
     * @param eta the distribution index, {@code >= 0}; 20 is usual
     */
    public PolynomialMutator(double probability, double eta) {
        super(probability);
        this.eta = Variation.checkedIndex(eta);
    }

    @Override
    protected DoubleGene mutate(DoubleGene gene, RandomGenerator random) {
        double lo = gene.min();
        double hi = gene.max();
        double x = gene.doubleValue();
        double range = hi - lo;
        double u = random.nextDouble();
        double exponent = 1.0 / (eta + 1.0);
        double delta;
        if (u < 0.5) {
            double room = 1.0 - (x - lo) / range;
            double v = 2.0 * u + (1.0 - 2.0 * u) * StrictMath.pow(room, eta + 1.0);
            delta = StrictMath.pow(v, exponent) - 1.0;
        } else {
            double room = 1.0 - (hi - x) / range;
            double v = 2.0 * (1.0 - u) + 2.0 * (u - 0.5) * StrictMath.pow(room, eta + 1.0);
            delta = 1.0 - StrictMath.pow(v, exponent);
        }
        return gene.newInstance(Math.min(hi, Math.max(lo, x + delta * range)));
    }

    @Override
    public String toString() {
        return "PolynomialMutator[p=" + _probability + ", eta=" + eta + "]";
    }
}
