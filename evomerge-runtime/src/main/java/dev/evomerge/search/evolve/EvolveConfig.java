package dev.evomerge.search.evolve;

import dev.evomerge.diag.Requires;
import dev.evomerge.diag.SourceLocation;
import dev.evomerge.search.space.GenomeDefinition;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * An {@code evolve.yml} as read (see {@code docs/evolve-config.md}): the parameter-space genome (mergekit-evolve's
 * {@code genome:}), the tasks, the data-flow section, the search settings and where evaluations run. Which stages run
 * follows from the sections present ({@link #stages()}). Paths are resolved against the config file's directory.
 * Immutable.
 *
 * @param file the config file
 * @param genome the {@code genome:} section, when a parameter-space stage runs
 * @param tasks the tasks candidates are scored on, at least one
 * @param dfs the {@code dfs:} section, when a data-flow stage runs
 * @param search the {@code search:} section (defaults when absent)
 * @param evaluation the {@code evaluation:} section (defaults when absent)
 */
public record EvolveConfig(Path file, Optional<GenomeDefinition> genome, List<TaskSpec> tasks,
        Optional<DfsSection> dfs, SearchSettings search, EvaluationSettings evaluation) {

    public EvolveConfig {
        Requires.nonNull("file, genome, dfs, search, evaluation", file, genome, dfs, search, evaluation);
        tasks = List.copyOf(tasks);
        if (genome.isEmpty() && dfs.isEmpty()) {
            throw new IllegalArgumentException("an evolve config needs genome:, dfs: or both");
        }
    }

    /** The stages that run, in order. */
    public Stages stages() {
        if (dfs.isEmpty()) {
            return Stages.PS;
        }
        return genome.isPresent() && dfs.get().usesPsResult() ? Stages.HYBRID : Stages.DFS;
    }

    /** The same config with another seed (the Maven goal's and the CLI's {@code seed} override). */
    public EvolveConfig withSeed(long seed) {
        return new EvolveConfig(file, genome, tasks, dfs, search.withSeed(seed), evaluation);
    }

    /** What an evolve run searches. */
    public enum Stages {
        /** Parameter space only. */
        PS,
        /** Data-flow space over the listed models. */
        DFS,
        /** Parameter space, then data-flow space over the PS result and the other listed models. */
        HYBRID
    }

    /** Where the config file's root is, for messages about the whole file. */
    public SourceLocation location() {
        return SourceLocation.of(file);
    }
}
