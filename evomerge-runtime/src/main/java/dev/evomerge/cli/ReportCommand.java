package dev.evomerge.cli;

import dev.evomerge.Report;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code evomerge report WORK_DIR [--config FILE]}: draws an evolve run's report/index.html. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Draw WORK_DIR/report/index.html from an evolve run's history.jsonl and summary.json (a running"
                + " or stopped run too): fitness per generation, Pareto front, parameter heatmap, data-flow path and"
                + " the scores of the sources, the untuned merge and the chosen recipe.")
final class ReportCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "WORK_DIR", description = "The evolve run's work directory.")
    Path work;

    @Option(names = "--config", paramLabel = "FILE", description = "The run's evolve config, to name the genes and"
            + " decode the data-flow path (default: the one summary.json names, once the run has ended).")
    Path config;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        Report.run(work, Optional.ofNullable(config), Path.of("").toAbsolutePath(), System.getenv(),
                new ConsoleEvents(spec.commandLine().getOut(), spec.commandLine().getErr()));
        return 0;
    }
}
