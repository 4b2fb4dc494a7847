package dev.evomerge.maven;

import dev.evomerge.event.Event;
import dev.evomerge.event.EventListener;
import java.time.Duration;
import java.util.function.LongSupplier;
import org.apache.maven.plugin.logging.Log;

/**
 * Renders runtime events on Maven's log: lifecycle as info, warnings as warnings, debug as debug, and progress as
 * plain info lines, at most one per task every {@code interval} (and always the last one), so batch logs stay short.
 *
 * <p>Thread-safe: the runtime reports from several threads.
 */
final class MavenEventLogger implements EventListener {

    private final Log log;
    private final long intervalNanos;
    private final LongSupplier clock;
    private long lastProgress = Long.MIN_VALUE;
    private String lastTask = "";

    MavenEventLogger(Log log) {
        this(log, Duration.ofSeconds(5), System::nanoTime);
    }

    MavenEventLogger(Log log, Duration interval, LongSupplier nanoClock) {
        this.log = log;
        this.intervalNanos = interval.toNanos();
        this.clock = nanoClock;
    }

    @Override
    public synchronized void on(Event event) {
        switch (event) {
            case Event.Lifecycle l -> log.info(l.message());
            case Event.Warning w -> log.warn(w.text());
            case Event.Debug d -> {
                if (log.isDebugEnabled()) {
                    log.debug(d.message());
                }
            }
            case Event.Progress p -> progress(p);
        }
    }

    private void progress(Event.Progress p) {
        long now = clock.getAsLong();
        boolean last = p.total() > 0 && p.done() >= p.total();
        boolean newTask = !p.task().equals(lastTask);
        if (!last && !newTask && now - lastProgress < intervalNanos) {
            return;
        }
        lastProgress = now;
        lastTask = p.task();
        log.info(format(p));
    }

    static String format(Event.Progress p) {
        StringBuilder b = new StringBuilder(p.task()).append(": ").append(p.done());
        if (p.total() > 0) {
            b.append('/').append(p.total());
            b.append(String.format(java.util.Locale.ROOT, " (%.0f%%)", 100.0 * p.done() / p.total()));
        }
        if (!p.detail().isEmpty()) {
            b.append(", ").append(p.detail());
        }
        if (p.eta() != null && p.done() < p.total()) {
            b.append(", ETA ").append(formatDuration(p.eta()));
        }
        return b.toString();
    }

    static String formatDuration(Duration d) {
        long s = Math.max(0, d.toSeconds());
        if (s >= 3600) {
            return String.format(java.util.Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60);
        }
        if (s >= 60) {
            return String.format(java.util.Locale.ROOT, "%dm%02ds", s / 60, s % 60);
        }
        return s + "s";
    }
}
