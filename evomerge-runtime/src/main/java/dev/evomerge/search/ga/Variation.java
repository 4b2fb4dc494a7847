package dev.evomerge.search.ga;

import io.jenetics.Alterer;
import io.jenetics.DoubleGene;
import io.jenetics.PartialAlterer;
import io.jenetics.UniformCrossover;
import java.util.ArrayList;
import java.util.List;

/**
 * How offspring are varied in the genetic searches. Real genes: {@link SimulatedBinaryCrossover} and
 * {@link PolynomialMutator}; indicator genes: Jenetics' {@link UniformCrossover} and {@link IndicatorFlipMutator};
 * each kind confined to its chromosome with Jenetics' {@link PartialAlterer}. Immutable.
 *
 * @param crossoverProbability the probability that an individual is recombined with another
 * @param crossoverIndex SBX distribution index for real genes
 * @param mutationProbability the probability that a real gene mutates
 * @param mutationIndex polynomial mutation distribution index for real genes
 * @param indicatorMutationProbability the probability that an indicator gene flips
 */
public record Variation(double crossoverProbability, double crossoverIndex, double mutationProbability,
        double mutationIndex, double indicatorMutationProbability) {

    /** A variation whose indicator genes flip with the real genes' mutation probability. */
    public Variation(double crossoverProbability, double crossoverIndex, double mutationProbability,
            double mutationIndex) {
        this(crossoverProbability, crossoverIndex, mutationProbability, mutationIndex, mutationProbability);
    }

    public Variation {
        requireProbability(crossoverProbability, "crossover probability");
        requireProbability(mutationProbability, "mutation probability");
        requireProbability(indicatorMutationProbability, "indicator mutation probability");
        if (!(crossoverIndex >= 0) || !Double.isFinite(crossoverIndex) || !(mutationIndex >= 0)
                || !Double.isFinite(mutationIndex)) {
            throw new IllegalArgumentException("distribution indices must be finite and >= 0, got " + crossoverIndex
                    + " and " + mutationIndex);
        }
    }

    /**
     * A distribution index of SBX or polynomial mutation, checked.
     *
     * @throws IllegalArgumentException unless it is finite and {@code >= 0}
     */
    static double checkedIndex(double eta) {
        if (!(eta >= 0) || !Double.isFinite(eta)) {
            throw new IllegalArgumentException("distribution index must be finite and >= 0, got " + eta);
        }
        return eta;
    }

    /**
     * NSGA-II's usual setting (Deb et al. 2002) for dimension n: crossover probability 0.9 with index 15, mutation
     * probability 1/n with index 20.
     */
    public static Variation defaults(int n) {
        if (n <= 0) {
            throw new IllegalArgumentException("dimension must be > 0, got " + n);
        }
        return new Variation(0.9, 15.0, 1.0 / n, 20.0);
    }

    /**
     * {@link #defaults(int)} with the genes of each kind counted apart: real genes mutate with probability 1/(real
     * genes), indicator genes flip with probability 1/(indicator genes), so an offspring gets about one change of
     * each kind. Counting all genes together, a data-flow genome of 192 indicators and 4160 scales would flip an
     * indicator in one offspring of 23, and paths would hardly change.
     */
    public static Variation defaults(GenomeEncoding encoding) {
        int indicators = encoding.indicatorCoordinates().length;
        int reals = encoding.dimension() - indicators;
        return new Variation(0.9, 15.0, 1.0 / Math.max(1, reals), 20.0, 1.0 / Math.max(1, indicators));
    }

    /** The composed alterer for genotypes of {@code encoding}. */
    public <C extends Comparable<? super C>> Alterer<DoubleGene, C> alterer(GenomeEncoding encoding) {
        List<Alterer<DoubleGene, C>> parts = new ArrayList<>(4);
        int real = encoding.realChromosome();
        if (real >= 0) {
            parts.add(PartialAlterer.<DoubleGene, C>of(
                    new SimulatedBinaryCrossover<C>(crossoverProbability, crossoverIndex), real));
            parts.add(PartialAlterer.<DoubleGene, C>of(
                    new PolynomialMutator<C>(mutationProbability, mutationIndex), real));
        }
        int ind = encoding.indicatorChromosome();
        if (ind >= 0) {
            parts.add(PartialAlterer.<DoubleGene, C>of(
                    new UniformCrossover<DoubleGene, C>(crossoverProbability, 0.5), ind));
            parts.add(PartialAlterer.<DoubleGene, C>of(new IndicatorFlipMutator<C>(indicatorMutationProbability), ind));
        }
        Alterer<DoubleGene, C> all = parts.getFirst();
        for (int i = 1; i < parts.size(); i++) {
            all = all.andThen(parts.get(i));
        }
        return all;
    }

    private static void requireProbability(double p, String name) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException(name + " must be within [0, 1], got " + p);
        }
    }
}
