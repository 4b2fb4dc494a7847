package dev.evomerge.search.evolve;

import dev.evomerge.diag.Requires;
import dev.evomerge.diag.SourceLocation;
import dev.evomerge.search.space.InitialPoint;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * The {@code search:} section. Immutable.
 *
 * @param optimizer the optimizer ({@code nsga2} when several objectives are given and none is named)
 * @param population candidates per generation; empty: the optimizer's default (CMA-ES: 4 + floor(3 ln n))
 * @param sigma0 the initial step size (CMA-ES) in genome units
 * @param initial where a parameter-space search starts
 * @param budget when each stage ends (the first limit reached)
 * @param seed the seed of every random choice of the run
 * @param objectives task names, one objective each (several: multi-objective); empty: one weighted-sum fitness
 * @param subset documents of the search split scored per generation (the same for all of a generation's
 *     candidates); empty: all
 * @param pathLengthObjective for a data-flow search with NSGA-II, also minimise the path length
 * @param location where the section is written (the file's root when absent)
 * @param keyLocations where each key is written
 * @param cmaes which CMA-ES: {@code full}, {@code separable}, or empty for the choice by dimension
 * @param stageSigma0 a stage's own initial step size ({@code search.ps.sigma0}, {@code search.dfs.sigma0}), where
 *     it differs from {@code sigma0}
 */
public record SearchSettings(OptimizerKind optimizer, OptionalInt population, double sigma0, InitialPoint initial,
        Budget budget, long seed, List<String> objectives, OptionalInt subset, boolean pathLengthObjective,
        SourceLocation location, Map<String, SourceLocation> keyLocations, Optional<CmaesCovariance> cmaes,
        Map<Stage, Double> stageSigma0) {

    /** Which covariance CMA-ES learns. */
    public enum CmaesCovariance {
        /** The full n x n matrix ({@code CmaEs}). */
        FULL,
        /** Its diagonal only (sep-CMA-ES, {@code SepCmaEs}). */
        SEPARABLE
    }

    /** Above this many genes CMA-ES is separable unless {@code search.cmaes} says otherwise. */
    public static final int SEPARABLE_ABOVE = 1000;

    /** Settings with the CMA-ES chosen by dimension. */
    public SearchSettings(OptimizerKind optimizer, OptionalInt population, double sigma0, InitialPoint initial,
            Budget budget, long seed, List<String> objectives, OptionalInt subset, boolean pathLengthObjective,
            SourceLocation location, Map<String, SourceLocation> keyLocations) {
        this(optimizer, population, sigma0, initial, budget, seed, objectives, subset, pathLengthObjective, location,
                keyLocations, Optional.empty());
    }

    /** Settings with one initial step size for every stage. */
    public SearchSettings(OptimizerKind optimizer, OptionalInt population, double sigma0, InitialPoint initial,
            Budget budget, long seed, List<String> objectives, OptionalInt subset, boolean pathLengthObjective,
            SourceLocation location, Map<String, SourceLocation> keyLocations, Optional<CmaesCovariance> cmaes) {
        this(optimizer, population, sigma0, initial, budget, seed, objectives, subset, pathLengthObjective, location,
                keyLocations, cmaes, Map.of());
    }

    /** The initial step size of a stage: its own, else {@code sigma0}. */
    public double sigma0(Stage stage) {
        return stageSigma0.getOrDefault(stage, sigma0);
    }

    /** Whether a CMA-ES over {@code dimension} genes learns only the diagonal. */
    public boolean separable(int dimension) {
        return cmaes.map(c -> c == CmaesCovariance.SEPARABLE).orElse(dimension > SEPARABLE_ABOVE);
    }

    /** Whether {@code search.budget} was left out (its default then scales with the population). */
    public boolean budgetDefaulted() {
        return !keyLocations.containsKey("budget");
    }

    /** The default initial step size, 1/6 of the unit interval. */
    public static final double DEFAULT_SIGMA0 = 1.0 / 6.0;

    public SearchSettings {
        Requires.nonNull("optimizer, population, initial, budget, subset, location, cmaes",
                optimizer, population, initial, budget, subset, location, cmaes);
        objectives = List.copyOf(objectives);
        keyLocations = Map.copyOf(keyLocations);
        stageSigma0 = Map.copyOf(stageSigma0);
    }

    /** Where {@code key} is written, or the section's location. */
    public SourceLocation locationOf(String key) {
        return keyLocations.getOrDefault(key, location);
    }

    public SearchSettings withSeed(long newSeed) {
        return new SearchSettings(optimizer, population, sigma0, initial, budget, newSeed, objectives, subset,
                pathLengthObjective, location, keyLocations, cmaes, stageSigma0);
    }

    /**
     * When a stage ends: the first limit reached. At least one limit is set.
     *
     * @param evaluations candidate evaluations
     * @param generations completed generations
     * @param wallTime wall time of the stage
     */
    public record Budget(OptionalLong evaluations, OptionalLong generations, Optional<Duration> wallTime) {
        public Budget {
            Requires.nonNull("evaluations, generations, wallTime", evaluations, generations, wallTime);
            if (evaluations.isEmpty() && generations.isEmpty() && wallTime.isEmpty()) {
                throw new IllegalArgumentException("a budget needs at least one limit");
            }
        }
    }
}
