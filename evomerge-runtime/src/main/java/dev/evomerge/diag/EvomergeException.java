package dev.evomerge.diag;

import java.util.Optional;

/**
 * A problem the user can fix: bad configuration, bad input files, or a run that cannot go on for a reason outside
 * evomerge's code. Its {@link #userMessage()} is the one line shown to the user (the CLI prints it after
 * {@code error: }, the Maven plugin fails the build with it). Anything that is not an {@code EvomergeException} is
 * treated as a bug in evomerge and reported with its stack trace.
 *
 * <p>Immutable once thrown.
 */
public abstract sealed class EvomergeException extends RuntimeException
        permits ConfigException, InputException, RunException {

    private final transient SourceLocation location;
    private final String suggestion;

    protected EvomergeException(SourceLocation location, String message, String suggestion, Throwable cause) {
        super(message, cause);
        this.location = location;
        this.suggestion = suggestion;
    }

    /** Where the fault is, when it is in a file. */
    public Optional<SourceLocation> location() {
        return Optional.ofNullable(location);
    }

    /** What the user could do about it, when there is something to say. */
    public Optional<String> suggestion() {
        return Optional.ofNullable(suggestion);
    }

    /** One line: {@code location: message; suggestion}. */
    public String userMessage() {
        StringBuilder b = new StringBuilder();
        if (location != null) {
            b.append(location).append(": ");
        }
        b.append(getMessage());
        if (suggestion != null && !suggestion.isEmpty()) {
            b.append("; ").append(suggestion);
        }
        return b.toString();
    }
}
