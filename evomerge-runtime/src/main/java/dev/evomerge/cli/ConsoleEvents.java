package dev.evomerge.cli;

import dev.evomerge.event.Event;
import dev.evomerge.event.EventListener;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;

/**
 * Prints runtime events on the terminal: lifecycle lines on stdout, warnings on stderr, progress at most every two
 * seconds (and the last), debug only with {@code EVOMERGE_DEBUG} set. Thread-safe.
 */
final class ConsoleEvents implements EventListener {

    private final PrintWriter out;
    private final PrintWriter err;
    private final boolean debug = System.getenv("EVOMERGE_DEBUG") != null;
    private long lastProgress;

    ConsoleEvents(PrintWriter out, PrintWriter err) {
        this.out = out;
        this.err = err;
    }

    @Override
    public synchronized void on(Event event) {
        switch (event) {
            case Event.Lifecycle l -> out.println(l.message());
            case Event.Warning w -> err.println("warning: " + w.text());
            case Event.Debug d -> {
                if (debug) {
                    err.println("debug: " + d.message());
                }
            }
            case Event.Progress p -> {
                long now = System.nanoTime();
                boolean last = p.total() > 0 && p.done() >= p.total();
                if (last || now - lastProgress > 2_000_000_000L) {
                    lastProgress = now;
                    out.println(format(p));
                }
            }
        }
        out.flush();
        err.flush();
    }

    private static String format(Event.Progress p) {
        StringBuilder b = new StringBuilder(p.task()).append(": ").append(p.done());
        if (p.total() > 0) {
            b.append('/').append(p.total());
        }
        if (!p.detail().isEmpty()) {
            b.append(", ").append(p.detail());
        }
        Duration eta = p.eta();
        if (eta != null && p.done() < p.total()) {
            b.append(String.format(Locale.ROOT, ", ETA %ds", eta.toSeconds()));
        }
        return b.toString();
    }
}
