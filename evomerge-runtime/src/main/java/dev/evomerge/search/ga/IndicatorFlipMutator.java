package dev.evomerge.search.ga;

import io.jenetics.DoubleGene;
import java.util.random.RandomGenerator;

/**
 * Bit-flip mutation for indicator genes ({@link GenomeEncoding}): a mutated gene changes sign, so an "on" slot
 * goes off and an "off" slot goes on. Each gene flips independently with the alterer's probability
 * ({@link GeneMutator}).
 *
 * <p>Immutable and thread-safe.
 *
 * @param <C> the fitness type
 */
public final class IndicatorFlipMutator<C extends Comparable<? super C>> extends GeneMutator<C> {

    /** @param probability the probability that a gene flips */
    public IndicatorFlipMutator(double probability) {
        super(probability);
    }

    @Override
    protected DoubleGene mutate(DoubleGene gene, RandomGenerator random) {
        return gene.newInstance(-gene.doubleValue());
    }
}
