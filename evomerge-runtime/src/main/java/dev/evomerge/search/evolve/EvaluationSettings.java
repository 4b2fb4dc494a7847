package dev.evomerge.search.evolve;

import dev.evomerge.config.YamlEnums;
import dev.evomerge.diag.Requires;
import dev.evomerge.diag.SourceLocation;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * The {@code evaluation:} section: where and how candidates are scored. Immutable.
 *
 * @param mode in-process (evomerge's forward pass), an external command, or Slurm job arrays
 * @param batchSize requests per forward pass (in-process)
 * @param threads candidates evaluated at once
 * @param memoryBudget the bytes candidates evaluated at once may hold together (default: the JVM's maximum heap)
 * @param limit a cap on documents per task and split
 * @param command the command line with {@code {model_dir}} and {@code {output}} (mode command; in mode slurm, what
 *     each task runs instead of evomerge's forward pass)
 * @param timeout the time one candidate may take
 * @param location where the section is written (the file's root when absent)
 * @param keyLocations where each key is written
 * @param slurm the job array settings (mode slurm)
 */
public record EvaluationSettings(Mode mode, int batchSize, int threads, OptionalLong memoryBudget, OptionalInt limit,
        Optional<String> command, Duration timeout, SourceLocation location, Map<String, SourceLocation> keyLocations,
        Optional<SlurmSettings> slurm) {

    /** Settings of a mode other than slurm. */
    public EvaluationSettings(Mode mode, int batchSize, int threads, OptionalLong memoryBudget, OptionalInt limit,
            Optional<String> command, Duration timeout, SourceLocation location,
            Map<String, SourceLocation> keyLocations) {
        this(mode, batchSize, threads, memoryBudget, limit, command, timeout, location, keyLocations,
                Optional.empty());
    }

    public EvaluationSettings {
        Requires.nonNull("mode, memoryBudget, limit, command, timeout, location",
                mode, memoryBudget, limit, command, timeout, location);
        keyLocations = Map.copyOf(keyLocations);
        if (batchSize < 1 || threads < 1) {
            throw new IllegalArgumentException("batch size and threads must be >= 1");
        }
        if (mode == Mode.COMMAND && command.isEmpty()) {
            throw new IllegalArgumentException("mode command needs a command");
        }
        Objects.requireNonNull(slurm, "slurm");
        if ((mode == Mode.SLURM) != slurm.isPresent()) {
            throw new IllegalArgumentException("mode slurm, and only it, has slurm settings");
        }
    }

    /** Where {@code key} is written, or the section's location. */
    public SourceLocation locationOf(String key) {
        return keyLocations.getOrDefault(key, location);
    }

    /** Where candidates are scored. */
    public enum Mode {
        /** evomerge's forward pass on DJL, in this process. */
        IN_PROCESS,
        /** An external command per candidate (its model written to disk first). */
        COMMAND,
        /**
         * A generation's candidates as one Slurm job array: each task merges its candidate's recipe and evaluates it
         * (evomerge's forward pass, or the command) on a cluster node.
         */
        SLURM;

        /** The name as {@code evolve.yml} writes it. */
        public String configName() {
            return YamlEnums.yamlName(this);
        }
    }
}
