package dev.evomerge.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** The command line run in this JVM, keeping what each run printed to standard output and standard error. */
final class CapturedCli {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    /** Runs {@code args} and returns the exit status; {@link #out()} and {@link #err()} then hold this run's text. */
    int run(String... args) {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        return EvomergeCli.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    }

    String out() {
        return out.toString();
    }

    String err() {
        return err.toString();
    }
}
