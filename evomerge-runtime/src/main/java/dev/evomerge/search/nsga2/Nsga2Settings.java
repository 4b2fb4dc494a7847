package dev.evomerge.search.nsga2;

import dev.evomerge.diag.Requires;
import dev.evomerge.search.Direction;
import dev.evomerge.search.ga.GenomeEncoding;
import dev.evomerge.search.ga.InitialGenomes;
import dev.evomerge.search.ga.Variation;
import java.util.List;
import java.util.Objects;

/**
 * What an NSGA-II search is started with. Immutable; change with the {@code withX} copies.
 *
 * {@snippet :
 * // two objectives: task accuracy (maximise) and DFS path length (minimise)
 * Nsga2Settings settings = Nsga2Settings.of(encoding, List.of(Direction.MAXIMIZE, Direction.MINIMIZE))
 *         .withPopulationSize(40);
 * Nsga2Search search = Nsga2Search.start(settings, Xoshiro256.seeded(3));
 * }
 *
 * @param encoding the genome's bounds and indicator coordinates
 * @param directions one per objective, at least two
 * @param populationSize parents kept per generation (>= 4)
 * @param variation crossover and mutation
 * @param indicatorOnProbability the chance that a random individual's indicator is on
 * @param initial genomes placed in the first generation (at most the population size); the rest is random
 */
public record Nsga2Settings(GenomeEncoding encoding, List<Direction> directions, int populationSize,
        Variation variation, double indicatorOnProbability, List<double[]> initial) {

    public Nsga2Settings {
        Requires.nonNull("encoding, variation", encoding, variation);
        directions = List.copyOf(directions);
        if (directions.size() < 2) {
            throw new IllegalArgumentException("NSGA-II needs at least two objectives, got " + directions.size());
        }
        if (populationSize < 4) {
            throw new IllegalArgumentException("population size must be >= 4, got " + populationSize);
        }
        GenomeEncoding.checkOnProbability(indicatorOnProbability);
        initial = InitialGenomes.checked(initial, encoding, populationSize);
    }

    /**
     * Settings with the defaults: population 100, {@link Variation#defaults(GenomeEncoding)} (Deb et al.'s setting),
     * indicators on with probability 1/2, random start.
     */
    public static Nsga2Settings of(GenomeEncoding encoding, List<Direction> directions) {
        return new Nsga2Settings(encoding, directions, 100, Variation.defaults(encoding), 0.5, List.of());
    }

    @Override
    public List<double[]> initial() {
        return InitialGenomes.copy(initial);
    }

    /** Equal settings, initial genomes compared by value. */
    @Override
    public boolean equals(Object o) {
        return o instanceof Nsga2Settings s && InitialGenomes.same(initial, s.initial) && encoding.equals(s.encoding)
                && directions.equals(s.directions) && populationSize == s.populationSize
                && variation.equals(s.variation)
                && Double.compare(indicatorOnProbability, s.indicatorOnProbability) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(encoding, directions, populationSize, variation, indicatorOnProbability, initial.size());
    }

    public Nsga2Settings withPopulationSize(int size) {
        return new Nsga2Settings(encoding, directions, size, variation, indicatorOnProbability, initial);
    }

    public Nsga2Settings withVariation(Variation v) {
        return new Nsga2Settings(encoding, directions, populationSize, v, indicatorOnProbability, initial);
    }

    public Nsga2Settings withIndicatorOnProbability(double p) {
        return new Nsga2Settings(encoding, directions, populationSize, variation, p, initial);
    }

    public Nsga2Settings withInitial(List<double[]> genomes) {
        return new Nsga2Settings(encoding, directions, populationSize, variation, indicatorOnProbability, genomes);
    }
}
