package dev.evomerge.diag;

import java.nio.file.Path;

/**
 * A fault in an input the user pointed us at: a model directory, a safetensors file, a dataset, a reference that
 * does not resolve, an output directory that is in the way. Names the file when there is one.
 */
public final class InputException extends EvomergeException {

    public InputException(String message, String suggestion) {
        super(null, message, suggestion, null);
    }

    public InputException(Path file, String message) {
        this(file, message, null, null);
    }

    public InputException(Path file, String message, String suggestion) {
        this(file, message, suggestion, null);
    }

    /** For an I/O failure: the cause is kept for debugging, the message names the file. */
    public InputException(Path file, String message, String suggestion, Throwable cause) {
        super(file == null ? null : SourceLocation.of(file), message, suggestion, cause);
    }

    public InputException(SourceLocation location, String message, String suggestion) {
        super(location, message, suggestion, null);
    }
}
