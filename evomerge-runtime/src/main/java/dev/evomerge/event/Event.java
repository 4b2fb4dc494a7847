package dev.evomerge.event;

import dev.evomerge.diag.Requires;
import dev.evomerge.diag.SourceLocation;
import java.time.Duration;
import java.util.Objects;

/**
 * Something the runtime reports while it works. The runtime never prints; front ends (CLI, Maven plugin) render
 * events: lifecycle as normal output, warnings as warnings, progress throttled, debug only when asked.
 *
 * <p>All events are immutable values.
 */
public sealed interface Event {

    /** A step started or finished, for example "merging 291 tensors with ties". */
    record Lifecycle(String message) implements Event {
        public Lifecycle {
            Objects.requireNonNull(message, "message");
        }
    }

    /**
     * How far a long task is.
     *
     * @param task what is being done, for example "merge"
     * @param done units done so far
     * @param total units in all (0 when unknown)
     * @param detail extra figures already formatted, for example "1.8 GB/s" (may be empty)
     * @param eta estimated time left, or null when unknown
     */
    record Progress(String task, long done, long total, String detail, Duration eta) implements Event {
        public Progress {
            Requires.nonNull("task, detail", task, detail);
            if (done < 0 || total < 0) {
                throw new IllegalArgumentException("done and total must be >= 0, got " + done + "/" + total);
            }
        }
    }

    /** Something the user should know but that does not stop the run, with where it comes from if known. */
    record Warning(String message, SourceLocation location) implements Event {
        public Warning {
            Objects.requireNonNull(message, "message");
        }

        public Warning(String message) {
            this(message, null);
        }

        /** {@code location: message}, or the message alone. */
        public String text() {
            return location == null ? message : location + ": " + message;
        }
    }

    /** Detail for troubleshooting. */
    record Debug(String message) implements Event {
        public Debug {
            Objects.requireNonNull(message, "message");
        }
    }
}
