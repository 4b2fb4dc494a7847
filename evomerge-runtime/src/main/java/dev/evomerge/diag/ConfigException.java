package dev.evomerge.diag;

/**
 * A fault in a configuration file the user wrote: a merge or evolve YAML, a task file. Always carries the location
 * of the fault (file, and line, column and key path when known).
 */
public final class ConfigException extends EvomergeException {

    public ConfigException(SourceLocation location, String message) {
        this(location, message, null);
    }

    public ConfigException(SourceLocation location, String message, String suggestion) {
        super(java.util.Objects.requireNonNull(location, "location"), message, suggestion, null);
    }
}
