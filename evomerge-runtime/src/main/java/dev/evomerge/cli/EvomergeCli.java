package dev.evomerge.cli;

import dev.evomerge.diag.EvomergeException;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code evomerge} command line. Subcommands only parse arguments into the runtime's request records; the work
 * happens in the runtime.
 *
 * <p>Exit status: 0 on success, 2 for a user error (one line {@code error: ...} on stderr, no stack trace), 1 for
 * an internal error (with its stack trace).
 *
 * <p>The command tree is built for the arguments at hand: a command line that names a subcommand gets that one
 * subcommand only, and only what lists the commands (the usage, {@code help}, a mistake at the root) gets them all.
 * Picocli reads each command's annotations when it is added, which is most of a short command's start-up; a version
 * request alone needs no tree and is answered before picocli loads.
 */
@Command(
        name = "evomerge",
        mixinStandardHelpOptions = true,
        versionProvider = EvomergeCli.Version.class,
        description = "Merge language models with mergekit recipes and evolve new recipes.")
public final class EvomergeCli implements Runnable {

    /** Exit status for a user error. */
    public static final int USER_ERROR = 2;
    /** Exit status for an internal error. */
    public static final int INTERNAL_ERROR = 1;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        int status = run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true));
        // A success with no thread of ours left ends by returning (shutdown hooks run either way): System.exit
        // looks up a logger for the exit, which reads every jar of lib/ for a logging service (measured: 60 of the
        // 130 ms of CPU that --version took without the AOT cache).
        if (status != 0 || otherThreadsRunning()) {
            System.exit(status);
        }
    }

    /** Whether a thread other than this one would keep the JVM running after {@code main} returns. */
    private static boolean otherThreadsRunning() {
        Thread[] threads = new Thread[Thread.activeCount() + 16];
        int n = Thread.enumerate(threads);
        for (int i = 0; i < n; i++) {
            if (threads[i] != Thread.currentThread() && !threads[i].isDaemon() && threads[i].isAlive()) {
                return true;
            }
        }
        return n == threads.length;
    }

    /** Runs the command line with the given streams and returns the exit status. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        if (versionOnly(args)) {
            out.println(version());
            out.flush();
            return 0;
        }
        CommandLine cli = commandLine(args);
        cli.setOut(out);
        cli.setErr(err);
        return cli.execute(args);
    }

    /** The configured picocli command tree, with the subcommands that {@code args} needs. */
    static CommandLine commandLine(String... args) {
        CommandLine cli = new CommandLine(new EvomergeCli());
        for (Class<?> subcommand : subcommandsFor(args)) {
            cli.addSubcommand(subcommand);
        }
        Errors errors = new Errors();
        cli.setExitCodeExceptionMapper(errors);
        cli.setExecutionExceptionHandler(errors);
        cli.setParameterExceptionHandler(errors);
        return cli;
    }

    /** The subcommands, in the order the usage lists them. */
    private static List<Class<?>> subcommands() {
        return List.of(CommandLine.HelpCommand.class, InspectCommand.class, SynthCommand.class, MergeCommand.class,
                EvaluateCommand.class, EvolveCommand.class, VerifyCommand.class, ReportCommand.class,
                RunCandidateCommand.class, TrainCommand.class);
    }

    /**
     * The subcommands a command line needs: the one its first argument names when only version requests come before
     * it (the root's options take no value); else all of them, for the usage, the {@code help} command and a mistake
     * at the root.
     */
    static List<Class<?>> subcommandsFor(String... args) {
        List<Class<?>> all = subcommands();
        for (String arg : args) {
            if (isVersionOption(arg)) {
                continue;
            }
            if (!arg.startsWith("-")) {
                for (Class<?> subcommand : all) {
                    if (subcommand != CommandLine.HelpCommand.class
                            && subcommand.getAnnotation(Command.class).name().equals(arg)) {
                        return List.of(subcommand);
                    }
                }
            }
            return all;
        }
        return all;
    }

    /** Whether the command line asks for the version and nothing else (what picocli answers with {@link Version}). */
    static boolean versionOnly(String... args) {
        for (String arg : args) {
            if (!isVersionOption(arg)) {
                return false;
            }
        }
        return args.length > 0;
    }

    private static boolean isVersionOption(String arg) {
        return arg.equals("-V") || arg.equals("--version");
    }

    /** The version line: from the jar manifest, or saying it is a development build. */
    static String version() {
        String v = EvomergeCli.class.getPackage().getImplementationVersion();
        return "evomerge " + (v == null ? "(development build)" : v);
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /**
     * How a failed command ends: a user error as one line and status 2, our own bug with its stack trace and status
     * 1. (One class rather than three lambdas: no lambda bootstrap in every command's start-up.)
     */
    private static final class Errors implements CommandLine.IExitCodeExceptionMapper,
            CommandLine.IExecutionExceptionHandler, CommandLine.IParameterExceptionHandler {

        @Override
        public int getExitCode(Throwable t) {
            return t instanceof EvomergeException ? USER_ERROR : INTERNAL_ERROR;
        }

        @Override
        public int handleExecutionException(Exception ex, CommandLine commandLine,
                CommandLine.ParseResult parseResult) {
            PrintWriter err = commandLine.getErr();
            if (ex instanceof EvomergeException user) {
                err.println("error: " + user.userMessage());
                err.flush();
                return USER_ERROR;
            }
            ex.printStackTrace(err);
            err.flush();
            return INTERNAL_ERROR;
        }

        @Override
        public int handleParseException(CommandLine.ParameterException ex, String[] args) {
            PrintWriter err = ex.getCommandLine().getErr();
            // some picocli messages start with their own "Error: "; the line has one prefix
            err.println("error: " + ex.getMessage().replaceFirst("^Error: ", ""));
            err.println("Run '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help' for usage.");
            err.flush();
            return USER_ERROR;
        }
    }

    /** The {@link #version()} line, for picocli (a version option beside other arguments). */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {version()};
        }
    }
}
