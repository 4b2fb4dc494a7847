package dev.evomerge;

import dev.evomerge.diag.Requires;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * Everything an evolve run needs, as the CLI and the Maven plugin gather it. Immutable.
 *
 * @param configFile the evolve YAML
 * @param workDirectory where the run keeps its checkpoint, history and outputs
 * @param resume whether to continue the run the work directory holds
 * @param seed a seed that replaces the config's {@code search.seed}
 * @param generations at most this many generations in this invocation, then pause (resume later)
 * @param baseDirectory what relative model paths are resolved against (task files: the config's directory)
 * @param environment environment variables (for the Hugging Face cache location)
 * @param force whether a resume goes on although the run's inputs changed (what changed is recorded)
 */
public record EvolveRequest(Path configFile, Path workDirectory, boolean resume, OptionalLong seed,
        OptionalLong generations, Path baseDirectory, Map<String, String> environment, boolean force) {

    /** A request that does not force a resume. */
    public EvolveRequest(Path configFile, Path workDirectory, boolean resume, OptionalLong seed,
            OptionalLong generations, Path baseDirectory, Map<String, String> environment) {
        this(configFile, workDirectory, resume, seed, generations, baseDirectory, environment, false);
    }

    public EvolveRequest {
        Requires.nonNull("configFile, workDirectory, seed, generations", configFile, workDirectory, seed, generations);
        if (generations.isPresent() && generations.getAsLong() < 1) {
            throw new IllegalArgumentException("generations must be >= 1, got " + generations.getAsLong());
        }
        Objects.requireNonNull(baseDirectory, "baseDirectory");
        environment = Map.copyOf(environment);
    }
}
