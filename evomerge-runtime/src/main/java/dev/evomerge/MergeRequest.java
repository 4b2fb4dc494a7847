package dev.evomerge;

import dev.evomerge.diag.Requires;
import java.nio.file.Path;
import java.util.Map;

/**
 * Everything a merge needs, as the CLI and the Maven plugin gather it. Immutable.
 *
 * @param configFile the mergekit YAML
 * @param outputDirectory where the merged model goes (written to a temporary sibling, renamed on success)
 * @param seed seed of the stochastic methods (DARE, DELLA)
 * @param outShardSize the shard size limit in bytes (mergekit's default is 5·10⁹)
 * @param threads tensors merged in parallel (1 or more)
 * @param memoryBudget bytes of tensor data that may be in flight at once
 * @param overwrite whether an existing non-empty output may be replaced
 * @param baseDirectory what relative model paths are resolved against
 * @param environment environment variables (for the Hugging Face cache location)
 */
public record MergeRequest(Path configFile, Path outputDirectory, long seed, long outShardSize, int threads,
        long memoryBudget, boolean overwrite, Path baseDirectory, Map<String, String> environment) {

    /** mergekit's default shard size: 5·10⁹ bytes. */
    public static final long DEFAULT_SHARD_SIZE = 5_000_000_000L;

    public MergeRequest {
        Requires.nonNull("configFile, outputDirectory, baseDirectory", configFile, outputDirectory, baseDirectory);
        environment = Map.copyOf(environment);
        if (outShardSize <= 0) {
            throw new IllegalArgumentException("shard size must be > 0, got " + outShardSize);
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        if (memoryBudget <= 0) {
            throw new IllegalArgumentException("memory budget must be > 0, got " + memoryBudget);
        }
    }

    /** A default memory budget: half of what the heap can still grow to. */
    public static long defaultMemoryBudget() {
        return Math.max(64L << 20, Runtime.getRuntime().maxMemory() / 2);
    }

    /** Default parallelism: the available processors. */
    public static int defaultThreads() {
        return Runtime.getRuntime().availableProcessors();
    }
}
