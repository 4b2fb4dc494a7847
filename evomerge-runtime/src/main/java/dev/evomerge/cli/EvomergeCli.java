package dev.evomerge.cli;

import dev.evomerge.diag.EvomergeException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code evomerge} command line. Subcommands only parse arguments into the runtime's request records; the work
 * happens in the runtime.
 *
 * <p>Exit status: 0 on success, 2 for a user error (one line {@code error: ...} on stderr, no stack trace), 1 for
 * an internal error (with its stack trace).
 */
@Command(
        name = "evomerge",
        mixinStandardHelpOptions = true,
        versionProvider = EvomergeCli.Version.class,
        description = "Merge language models with mergekit recipes and evolve new recipes.",
        subcommands = {CommandLine.HelpCommand.class, InspectCommand.class, SynthCommand.class, MergeCommand.class,
                EvaluateCommand.class, EvolveCommand.class, VerifyCommand.class, ReportCommand.class,
                RunCandidateCommand.class, TrainCommand.class})
public final class EvomergeCli implements Runnable {

    /** Exit status for a user error. */
    public static final int USER_ERROR = 2;
    /** Exit status for an internal error. */
    public static final int INTERNAL_ERROR = 1;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the command line with the given streams and returns the exit status. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = commandLine();
        cli.setOut(out);
        cli.setErr(err);
        return cli.execute(args);
    }

    /** The configured picocli command tree. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new EvomergeCli());
        cli.setExitCodeExceptionMapper(t -> t instanceof EvomergeException ? USER_ERROR : INTERNAL_ERROR);
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            if (ex instanceof EvomergeException user) {
                err.println("error: " + user.userMessage());
                err.flush();
                return USER_ERROR;
            }
            ex.printStackTrace(err);
            err.flush();
            return INTERNAL_ERROR;
        });
        cli.setParameterExceptionHandler((ex, args) -> {
            PrintWriter err = ex.getCommandLine().getErr();
            // some picocli messages start with their own "Error: "; the line has one prefix
            err.println("error: " + ex.getMessage().replaceFirst("^Error: ", ""));
            err.println("Run '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help' for usage.");
            err.flush();
            return USER_ERROR;
        });
        return cli;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Reads the version from the jar manifest, or says it is a development build. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = EvomergeCli.class.getPackage().getImplementationVersion();
            return new String[] {"evomerge " + (v == null ? "(development build)" : v)};
        }
    }
}
