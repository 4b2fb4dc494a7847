package dev.evomerge.search.ga;

import io.jenetics.Crossover;
import io.jenetics.DoubleGene;
import io.jenetics.util.MSeq;
import io.jenetics.util.RandomRegistry;
import java.util.random.RandomGenerator;

/**
 * Simulated binary crossover for bounded real genes (Deb and Agrawal, "Simulated Binary Crossover for Continuous
 * Search Space", Complex Systems 9, 1995; the bounded form used by Deb et al.'s NSGA-II): each gene pair is
 * recombined with probability 1/2 into two children spread around the parents' mean, their spread drawn from a
 * polynomial distribution with index {@code eta} (larger: children nearer the parents) and truncated to the genes'
 * range. Jenetics' own {@code SimulatedBinaryCrossover} centres children on half the parents' difference instead of
 * their mean, so this one is used.
 *
 * <p>Draws from {@link RandomRegistry#random()}: callers run it within {@code RandomRegistry.with(generator)}.
 * Immutable and thread-safe.
 *
 * @param <C> the fitness type
 */
public final class SimulatedBinaryCrossover<C extends Comparable<? super C>> extends Crossover<DoubleGene, C> {

    private static final double MIN_DIFFERENCE = 1e-14;

    private final double eta;

    /**
     * @param probability the probability that an individual is recombined with another
     * @param eta the distribution index, {@code >= 0}; 15 to 20 is usual
     */
    public SimulatedBinaryCrossover(double probability, double eta) {
        super(probability);
        this.eta = Variation.checkedIndex(eta);
    }

    @Override
    protected int crossover(MSeq<DoubleGene> that, MSeq<DoubleGene> other) {
        RandomGenerator random = RandomRegistry.random();
        int changed = 0;
        int length = Math.min(that.length(), other.length());
        for (int i = 0; i < length; i++) {
            if (random.nextDouble() >= 0.5) {
                continue;
            }
            DoubleGene g1 = that.get(i);
            DoubleGene g2 = other.get(i);
            double x1 = g1.doubleValue();
            double x2 = g2.doubleValue();
            if (Math.abs(x1 - x2) <= MIN_DIFFERENCE) {
                continue;
            }
            double lo = g1.min();
            double hi = g1.max();
            double y1 = Math.min(x1, x2);
            double y2 = Math.max(x1, x2);
            double u = random.nextDouble();
            double c1 = 0.5 * ((y1 + y2) - spread(u, 1.0 + 2.0 * (y1 - lo) / (y2 - y1)) * (y2 - y1));
            double c2 = 0.5 * ((y1 + y2) + spread(u, 1.0 + 2.0 * (hi - y2) / (y2 - y1)) * (y2 - y1));
            c1 = Math.min(hi, Math.max(lo, c1));
            c2 = Math.min(hi, Math.max(lo, c2));
            if (random.nextBoolean()) {
                double t = c1;
                c1 = c2;
                c2 = t;
            }
            that.set(i, g1.newInstance(c1));
            other.set(i, g2.newInstance(c2));
            changed++;
        }
        return changed;
    }

    /** The spread factor for uniform {@code u}, truncated so that the child stays within distance ratio beta. */
    private double spread(double u, double beta) {
        double exponent = 1.0 / (eta + 1.0);
        double alpha = 2.0 - StrictMath.pow(beta, -(eta + 1.0));
        if (u <= 1.0 / alpha) {
            return StrictMath.pow(u * alpha, exponent);
        }
        return StrictMath.pow(1.0 / (2.0 - u * alpha), exponent);
    }

    @Override
    public String toString() {
        return "SimulatedBinaryCrossover[p=" + _probability + ", eta=" + eta + "]";
    }
}
