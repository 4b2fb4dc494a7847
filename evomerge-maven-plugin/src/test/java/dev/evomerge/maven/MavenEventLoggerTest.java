package dev.evomerge.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.evomerge.diag.SourceLocation;
import dev.evomerge.event.Event;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.maven.plugin.logging.SystemStreamLog;
import org.junit.jupiter.api.Test;

class MavenEventLoggerTest {

    /** Records what would be logged. */
    static final class RecordingLog extends SystemStreamLog {
        final List<String> lines = new ArrayList<>();

        @Override
        public void info(CharSequence content) {
            lines.add("[INFO] " + content);
        }

        @Override
        public void warn(CharSequence content) {
            lines.add("[WARNING] " + content);
        }

        @Override
        public boolean isDebugEnabled() {
            return false;
        }
    }

    @Test
    void on_progressWithinInterval_throttledButLastAlwaysShown() {
        RecordingLog log = new RecordingLog();
        AtomicLong now = new AtomicLong();
        MavenEventLogger logger = new MavenEventLogger(log, Duration.ofSeconds(5), now::get);
        logger.on(new Event.Progress("merge", 1, 4, "1.5 GB/s", Duration.ofSeconds(90)));
        now.addAndGet(Duration.ofSeconds(1).toNanos());
        logger.on(new Event.Progress("merge", 2, 4, "1.5 GB/s", Duration.ofSeconds(60)));
        now.addAndGet(Duration.ofSeconds(5).toNanos());
        logger.on(new Event.Progress("merge", 3, 4, "1.5 GB/s", Duration.ofSeconds(3700)));
        logger.on(new Event.Progress("merge", 4, 4, "1.5 GB/s", Duration.ZERO));
        assertEquals(List.of(
                "[INFO] merge: 1/4 (25%), 1.5 GB/s, ETA 1m30s",
                "[INFO] merge: 3/4 (75%), 1.5 GB/s, ETA 1h01m",
                "[INFO] merge: 4/4 (100%), 1.5 GB/s"), log.lines);
    }

    @Test
    void on_warningWithLocation_prefixesPlace() {
        RecordingLog log = new RecordingLog();
        new MavenEventLogger(log).on(new Event.Warning("unknown key 'x' is ignored",
                new SourceLocation(Path.of("merge.yml"), 2, 1, "x")));
        new MavenEventLogger(log).on(new Event.Debug("hidden"));
        assertEquals(List.of("[WARNING] merge.yml:2:1 (x): unknown key 'x' is ignored"), log.lines);
    }
}
