package dev.evomerge.cli;

import dev.evomerge.Defaults;
import dev.evomerge.Evaluate;
import dev.evomerge.EvaluateRequest;
import dev.evomerge.eval.harness.EvaluationResults;
import dev.evomerge.eval.harness.TaskResult;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** {@code evomerge evaluate (--model DIR | --config MERGE.yml) --task FILE...}: scores a model on tasks. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Score a model (or a merge config, merged in memory) on lm-evaluation-harness style tasks.")
final class EvaluateCommand implements Callable<Integer> {

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    static final class Source {
        @Option(names = "--model", paramLabel = "DIR", required = true, description = "A model directory.")
        Path model;

        @Option(names = "--config", paramLabel = "MERGE.yml", required = true,
                description = "A mergekit config, merged in memory and evaluated without writing weights.")
        Path config;
    }

    @Option(names = "--task", paramLabel = "FILE", required = true, arity = "1..*",
            description = "lm-evaluation-harness style task files.")
    List<Path> tasks;

    @Option(names = "--limit", paramLabel = "N", description = "At most N documents per task.")
    Integer limit;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "8",
            description = "Requests per forward pass (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--output", paramLabel = "results.json",
            description = "Write the results in lm-evaluation-harness's shape.")
    Path output;

    @Option(names = "--log-samples", paramLabel = "samples.jsonl",
            description = "Write one JSON line per document: prompt, target, responses, log-likelihoods.")
    Path samples;

    @Option(names = "--threads", paramLabel = "N", defaultValue = Defaults.THREADS,
            description = "PyTorch threads; 0 means one per processor (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--seed", defaultValue = Defaults.SEED,
            description = "Seed of stochastic merge methods (--config).")
    long seed;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        EvaluateRequest request;
        try {
            request = new EvaluateRequest(Optional.ofNullable(source.model), Optional.ofNullable(source.config),
                    tasks, limit == null ? OptionalInt.empty() : OptionalInt.of(limit), batchSize,
                    Optional.ofNullable(output), Optional.ofNullable(samples),
                    Defaults.threads(threads), seed, Path.of("").toAbsolutePath(), System.getenv());
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        EvaluationResults results = Evaluate.standard().run(request,
                new ConsoleEvents(spec.commandLine().getOut(), spec.commandLine().getErr()));
        printTable(results, spec.commandLine().getOut());
        return 0;
    }

    static void printTable(EvaluationResults results, PrintWriter out) {
        out.printf(Locale.ROOT, "%-24s %-12s %-32s %s%n", "task", "split", "metric", "value");
        for (TaskResult t : results.tasks()) {
            for (Map.Entry<String, Double> m : t.metrics().entrySet()) {
                out.printf(Locale.ROOT, "%-24s %-12s %-32s %.6f%n", t.task(), t.split(), m.getKey(), m.getValue());
            }
        }
        out.flush();
    }
}
