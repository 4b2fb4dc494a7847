package dev.evomerge.diag;

/**
 * A run that cannot go on for a reason outside evomerge's code and within the user's reach: an evaluator command
 * that failed or timed out, a memory budget too small for the job, a checkpoint that does not match its config.
 */
public final class RunException extends EvomergeException {

    public RunException(String message, String suggestion) {
        super(null, message, suggestion, null);
    }

    public RunException(String message, String suggestion, Throwable cause) {
        super(null, message, suggestion, cause);
    }

    public RunException(SourceLocation location, String message, String suggestion) {
        super(location, message, suggestion, null);
    }
}
