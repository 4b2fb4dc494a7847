package dev.evomerge.exec;

import dev.evomerge.diag.RunException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs Slurm's commands ({@code sbatch}, {@code squeue}, {@code scancel}) for the driver. Stateless. */
final class SlurmCommand {

    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);

    private SlurmCommand() {
    }

    /** Runs a Slurm command and returns its standard output; a failure is a {@link RunException}. */
    static String run(List<String> argv) {
        Process p;
        try {
            p = new ProcessBuilder(argv).redirectErrorStream(false).start();
        } catch (IOException e) {
            throw new RunException("cannot run " + argv.getFirst() + ": " + e.getMessage(), "evaluation.mode slurm"
                    + " needs Slurm's commands (sbatch, squeue) on the PATH of the machine running evolve", e);
        }
        try {
            p.getOutputStream().close();
            var out = p.getInputStream().readAllBytes();
            var err = p.getErrorStream().readAllBytes();
            if (!p.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new RunException(argv.getFirst() + " did not answer in " + COMMAND_TIMEOUT.toSeconds() + " s",
                        "check that slurmctld is running (scontrol ping)");
            }
            if (p.exitValue() != 0) {
                String e = new String(err, StandardCharsets.UTF_8).strip();
                throw new RunException(argv.getFirst() + " failed (exit " + p.exitValue() + "): " + e,
                        "check evaluation.slurm (partition, gres, time, sbatch_args) and that the cluster is up");
            }
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new RunException("cannot read the output of " + argv.getFirst() + ": " + e.getMessage(), null, e);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw interrupted();
        }
    }

    /** Waits between two questions to the controller; an interrupt ends the run (it can be resumed). */
    static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw interrupted();
        }
    }

    private static RunException interrupted() {
        return new RunException("the run was interrupted", "resume it with --resume");
    }
}
