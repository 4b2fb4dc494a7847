package dev.evomerge.cli;

import dev.evomerge.eval.EvaluationOutcome;
import dev.evomerge.exec.CandidateTask;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code evomerge run-candidate DIR}: what a Slurm array task of {@code evaluation.mode: slurm} runs on a node. Scores
 * the candidate the evolve driver described in {@code DIR/candidate.json} and writes {@code DIR/result.json}.
 */
@Command(name = "run-candidate", mixinStandardHelpOptions = true,
        description = "Score one candidate an evolve run described in DIR (a Slurm array task's work) and write"
                + " DIR/result.json.")
final class RunCandidateCommand implements Callable<Integer> {

    @Parameters(paramLabel = "DIR", description = "The candidate's folder (with candidate.json).")
    Path dir;

    @CommandLine.Option(names = "--threads", paramLabel = "N",
            description = "Threads (default: SLURM_CPUS_PER_TASK, else the processors).")
    Integer threads;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        int n = threads != null ? threads : slurmCpus();
        EvaluationOutcome outcome = CandidateTask.run(dir, n, System.getenv(),
                new ConsoleEvents(spec.commandLine().getOut(), spec.commandLine().getErr()));
        spec.commandLine().getOut().println(switch (outcome) {
            case EvaluationOutcome.Scored s -> outcome.candidate() + ": scored " + s.scores().values();
            case EvaluationOutcome.Failed f -> outcome.candidate() + ": failed: " + f.reason();
        });
        spec.commandLine().getOut().flush();
        return 0;
    }

    private static int slurmCpus() {
        String cpus = System.getenv("SLURM_CPUS_PER_TASK");
        try {
            if (cpus != null && Integer.parseInt(cpus.strip()) > 0) {
                return Integer.parseInt(cpus.strip());
            }
        } catch (NumberFormatException e) {
            // fall back to the processors
        }
        return Runtime.getRuntime().availableProcessors();
    }
}
