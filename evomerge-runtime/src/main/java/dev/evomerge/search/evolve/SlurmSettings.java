package dev.evomerge.search.evolve;

import dev.evomerge.diag.Requires;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The {@code evaluation.slurm:} section: how a generation's candidates become one Slurm job array. Immutable.
 *
 * @param partition the partition ({@code --partition}), or the cluster's default
 * @param gres generic resources per task ({@code --gres}, for example {@code gpu:1})
 * @param time the time limit per task ({@code --time}), or the partition's
 * @param arrayParallelism at most this many tasks of a generation run at once ({@code --array=...%N}); 0: no cap
 * @param sbatchArguments more {@code sbatch} arguments, as written ({@code --mem=64G}, {@code --account=x})
 * @param retries how often a task that failed, was cancelled or timed out is submitted again before its
 *     candidate is scored worst
 * @param evomerge the command that runs evomerge on a node ({@code evomerge}, {@code java -jar /shared/evomerge.jar}),
 *     or empty for the Java and class path running the driver
 * @param poll how often the driver asks {@code squeue}
 */
public record SlurmSettings(Optional<String> partition, Optional<String> gres, Optional<String> time,
        int arrayParallelism, List<String> sbatchArguments, int retries, List<String> evomerge, Duration poll) {

    /** The default poll interval: a quarter second, which {@code squeue} answers in a few milliseconds. */
    public static final Duration DEFAULT_POLL = Duration.ofMillis(250);

    public SlurmSettings {
        Requires.nonNull("partition, gres, time, poll", partition, gres, time, poll);
        sbatchArguments = List.copyOf(sbatchArguments);
        evomerge = List.copyOf(evomerge);
        if (arrayParallelism < 0 || retries < 0) {
            throw new IllegalArgumentException("array parallelism and retries must be >= 0");
        }
    }
}
