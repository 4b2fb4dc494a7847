package dev.evomerge.event;

/**
 * Receives the runtime's events. Implementations must be thread-safe: merges and evaluations report from several
 * threads at once.
 */
@FunctionalInterface
public interface EventListener {

    /** A listener that drops every event. */
    EventListener NONE = event -> { };

    void on(Event event);

    default void lifecycle(String message) {
        on(new Event.Lifecycle(message));
    }

    default void warn(String message) {
        on(new Event.Warning(message));
    }

    default void warn(String message, dev.evomerge.diag.SourceLocation location) {
        on(new Event.Warning(message, location));
    }

    default void debug(String message) {
        on(new Event.Debug(message));
    }
}
