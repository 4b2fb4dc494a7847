package dev.evomerge.search.ga;

import dev.evomerge.diag.Requires;
import dev.evomerge.search.Direction;
import java.util.List;
import java.util.Objects;

/**
 * What a single-objective genetic search is started with. Immutable; change with the {@code withX} copies.
 *
 * {@snippet :
 * // DFS genome: 96 indicator slots then 96 per-step scales in [0, 2]
 * GeneticSettings settings = GeneticSettings.of(new GenomeEncoding(bounds, indicatorCoordinates))
 *         .withDirection(Direction.MAXIMIZE)
 *         .withPopulationSize(64)
 *         .withInitial(List.of(biasedStart));
 * GeneticSearch ga = GeneticSearch.start(settings, Xoshiro256.seeded(7));
 * }
 *
 * @param encoding the genome's bounds and indicator coordinates
 * @param direction whether the fitness is minimised or maximised
 * @param populationSize individuals per generation (>= 2)
 * @param offspringFraction the part of each new generation bred from selected parents (Jenetics' default 0.6); the
 *     rest are survivors, the best one always among them
 * @param tournamentSize the tournament size of both selections (>= 2; Jenetics' default 3)
 * @param variation crossover and mutation
 * @param maxAge generations an individual may live before it is replaced by a random one; unlimited by default
 *     ({@link Long#MAX_VALUE}), unlike Jenetics' engine (70), because replacing converged good individuals by random
 *     ones wastes evaluations that cost minutes each here
 * @param indicatorOnProbability the chance that a random individual's indicator is on
 * @param initial genomes placed in the first generation (at most the population size); the rest is random
 */
public record GeneticSettings(GenomeEncoding encoding, Direction direction, int populationSize,
        double offspringFraction, int tournamentSize, Variation variation, long maxAge, double indicatorOnProbability,
        List<double[]> initial) {

    public GeneticSettings {
        Requires.nonNull("encoding, direction, variation", encoding, direction, variation);
        if (populationSize < 2) {
            throw new IllegalArgumentException("population size must be >= 2, got " + populationSize);
        }
        if (!(offspringFraction > 0 && offspringFraction <= 1)) {
            throw new IllegalArgumentException("offspring fraction must be within (0, 1], got " + offspringFraction);
        }
        if (tournamentSize < 2) {
            throw new IllegalArgumentException("tournament size must be >= 2, got " + tournamentSize);
        }
        if (maxAge < 1) {
            throw new IllegalArgumentException("maximal age must be >= 1, got " + maxAge);
        }
        GenomeEncoding.checkOnProbability(indicatorOnProbability);
        initial = InitialGenomes.checked(initial, encoding, populationSize);
    }

    /**
     * Settings with the defaults: minimising, population 50, offspring fraction 0.6, tournaments of 3,
     * {@link Variation#defaults(GenomeEncoding)}, no age limit, indicators on with probability 1/2, random start.
     */
    public static GeneticSettings of(GenomeEncoding encoding) {
        return new GeneticSettings(encoding, Direction.MINIMIZE, 50, 0.6, 3, Variation.defaults(encoding),
                Long.MAX_VALUE, 0.5, List.of());
    }

    /** Offspring per generation: {@code round(populationSize * offspringFraction)}, the rest survivors. */
    public int offspringCount() {
        return (int) Math.round(populationSize * offspringFraction);
    }

    @Override
    public List<double[]> initial() {
        return InitialGenomes.copy(initial);
    }

    public GeneticSettings withDirection(Direction d) {
        return new GeneticSettings(encoding, d, populationSize, offspringFraction, tournamentSize, variation, maxAge,
                indicatorOnProbability, initial);
    }

    public GeneticSettings withPopulationSize(int size) {
        return new GeneticSettings(encoding, direction, size, offspringFraction, tournamentSize, variation, maxAge,
                indicatorOnProbability, initial);
    }

    public GeneticSettings withOffspringFraction(double fraction) {
        return new GeneticSettings(encoding, direction, populationSize, fraction, tournamentSize, variation, maxAge,
                indicatorOnProbability, initial);
    }

    public GeneticSettings withTournamentSize(int size) {
        return new GeneticSettings(encoding, direction, populationSize, offspringFraction, size, variation, maxAge,
                indicatorOnProbability, initial);
    }

    public GeneticSettings withVariation(Variation v) {
        return new GeneticSettings(encoding, direction, populationSize, offspringFraction, tournamentSize, v, maxAge,
                indicatorOnProbability, initial);
    }

    public GeneticSettings withMaxAge(long age) {
        return new GeneticSettings(encoding, direction, populationSize, offspringFraction, tournamentSize, variation,
                age, indicatorOnProbability, initial);
    }

    public GeneticSettings withIndicatorOnProbability(double p) {
        return new GeneticSettings(encoding, direction, populationSize, offspringFraction, tournamentSize, variation,
                maxAge, p, initial);
    }

    public GeneticSettings withInitial(List<double[]> genomes) {
        return new GeneticSettings(encoding, direction, populationSize, offspringFraction, tournamentSize, variation,
                maxAge, indicatorOnProbability, genomes);
    }

    /** Equal settings, initial genomes compared by value. */
    @Override
    public boolean equals(Object o) {
        return o instanceof GeneticSettings s && encoding.equals(s.encoding) && direction == s.direction
                && populationSize == s.populationSize && Double.compare(offspringFraction, s.offspringFraction) == 0
                && tournamentSize == s.tournamentSize && variation.equals(s.variation) && maxAge == s.maxAge
                && Double.compare(indicatorOnProbability, s.indicatorOnProbability) == 0
                && InitialGenomes.same(initial, s.initial);
    }

    @Override
    public int hashCode() {
        return Objects.hash(encoding, direction, populationSize, offspringFraction, tournamentSize, variation, maxAge,
                indicatorOnProbability, initial.size());
    }
}
