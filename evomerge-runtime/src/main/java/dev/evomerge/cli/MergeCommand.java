package dev.evomerge.cli;

import dev.evomerge.Defaults;
import dev.evomerge.Merge;
import dev.evomerge.MergeRequest;
import dev.evomerge.config.ByteSizes;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/** {@code evomerge merge CONFIG OUT_DIR}: runs a mergekit YAML. */
@Command(name = "merge", mixinStandardHelpOptions = true,
        description = "Merge models as a mergekit YAML config says, with mergekit's arithmetic.")
final class MergeCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "CONFIG", description = "The mergekit YAML config.")
    Path config;

    @Parameters(index = "1", paramLabel = "OUT_DIR", description = "Where the merged model goes.")
    Path out;

    @Option(names = "--seed", description = "Seed of the stochastic methods (default: ${DEFAULT-VALUE}).",
            defaultValue = Defaults.SEED)
    long seed;

    @Option(names = "--out-shard-size", paramLabel = "SIZE",
            description = "Shard size in bytes, with k/m/b suffixes as mergekit (default: ${DEFAULT-VALUE}).",
            defaultValue = Defaults.SHARD_SIZE)
    String shardSize;

    @Option(names = "--threads", defaultValue = Defaults.THREADS,
            description = "Tensors merged in parallel; 0 means one per processor (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--memory-budget", paramLabel = "SIZE",
            description = "Tensor data in flight at once, e.g. 2G (default: half the heap).")
    String memoryBudget;

    @Option(names = "--overwrite", description = "Replace OUT_DIR if it exists and is not empty.")
    boolean overwrite;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        MergeRequest request;
        try {
            request = new MergeRequest(config, out, seed, ByteSizes.parse(shardSize),
                    Defaults.threads(threads), Defaults.memoryBudget(memoryBudget),
                    overwrite, Path.of("").toAbsolutePath(), System.getenv());
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        Merge.standard().run(request, new ConsoleEvents(spec.commandLine().getOut(), spec.commandLine().getErr()));
        return 0;
    }
}
