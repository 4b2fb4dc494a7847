package dev.evomerge.cli;

import dev.evomerge.Evolve;
import dev.evomerge.EvolveRequest;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code evomerge evolve CONFIG --work-dir DIR [--resume]}: searches for a merge recipe. */
@Command(name = "evolve", mixinStandardHelpOptions = true,
        description = "Search merge recipes (parameter space, data-flow space or both) as an evolve YAML says.")
final class EvolveCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "CONFIG", description = "The evolve YAML config.")
    Path config;

    @Option(names = "--work-dir", required = true, paramLabel = "DIR",
            description = "Where the run keeps its checkpoint, history.jsonl and outputs (best.yml, best/, ...).")
    Path workDir;

    @Option(names = "--resume", description = "Continue the run that DIR holds from its last checkpoint.")
    boolean resume;

    @Option(names = "--force", description = "With --resume: go on although the config, a task or data file, or a"
            + " model changed since the run started (what changed is recorded in summary.json).")
    boolean force;

    @Option(names = "--seed", description = "Replace the config's search.seed.")
    Long seed;

    @Option(names = "--generations", paramLabel = "N",
            description = "Run at most N generations now, then pause with the checkpoint written (go on with --resume).")
    Long generations;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        EvolveRequest request;
        try {
            request = new EvolveRequest(config, workDir, resume, optional(seed), optional(generations),
                    Path.of("").toAbsolutePath(), System.getenv(), force);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        Evolve.standard().run(request, new ConsoleEvents(spec.commandLine().getOut(), spec.commandLine().getErr()));
        return 0;
    }

    private static OptionalLong optional(Long value) {
        return value == null ? OptionalLong.empty() : OptionalLong.of(value);
    }
}
