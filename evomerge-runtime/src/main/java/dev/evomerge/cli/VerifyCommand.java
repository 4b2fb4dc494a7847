package dev.evomerge.cli;

import dev.evomerge.MergeRequest;
import dev.evomerge.Verify;
import dev.evomerge.VerifyRequest;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code evomerge verify LOCK [--inputs-only]}: checks a model against its evomerge.lock.json. */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = "Check a merged model against its evomerge.lock.json: the inputs' hashes, then a rebuild of the"
                + " recipe into a temporary directory whose every file must have the locked hash.")
final class VerifyCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "LOCK",
            description = "The evomerge.lock.json, or the model directory that holds it.")
    Path lock;

    @Option(names = "--inputs-only", description = "Check only the input files' hashes (fast, no rebuild).")
    boolean inputsOnly;

    @Option(names = "--threads", description = "Tensors merged in parallel by the rebuild (default: the processors).")
    Integer threads;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        VerifyRequest request;
        try {
            request = new VerifyRequest(lock, inputsOnly, threads == null ? MergeRequest.defaultThreads() : threads,
                    System.getenv());
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        Verify.run(request, new ConsoleEvents(spec.commandLine().getOut(), spec.commandLine().getErr()));
        return 0;
    }
}
