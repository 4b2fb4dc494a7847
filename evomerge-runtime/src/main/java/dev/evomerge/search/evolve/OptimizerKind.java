package dev.evomerge.search.evolve;

/** The optimizer an evolve run uses ({@code search.optimizer}). */
public enum OptimizerKind {
    /** CMA-ES (the paper's choice for both spaces). */
    CMAES,
    /** A genetic search (indicator bits and bounded real genes). */
    GA,
    /** NSGA-II, for several objectives. */
    NSGA2;

    /** The name as {@code evolve.yml} writes it. */
    public String configName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
