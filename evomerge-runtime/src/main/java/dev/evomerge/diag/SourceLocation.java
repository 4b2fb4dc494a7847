package dev.evomerge.diag;

import java.nio.file.Path;

/**
 * Where in a user's file something is: the file, a 1-based line and column (0 when unknown), and the path of
 * keys inside a YAML or JSON document (empty when not applicable), for example {@code models[1].parameters.weight}.
 *
 * <p>Immutable and thread-safe.
 *
 * @param file the file; never null
 * @param line 1-based line, or 0 when unknown
 * @param column 1-based column, or 0 when unknown
 * @param documentPath key path inside the document, or the empty string
 */
public record SourceLocation(Path file, int line, int column, String documentPath) {

    public SourceLocation {
        Requires.nonNull("file, documentPath", file, documentPath);
        if (line < 0 || column < 0) {
            throw new IllegalArgumentException("line and column must be >= 0, got " + line + ":" + column);
        }
    }

    /** A location naming only a file. */
    public static SourceLocation of(Path file) {
        return new SourceLocation(file, 0, 0, "");
    }

    /** A location naming a file and a key path inside it, without line information. */
    public static SourceLocation of(Path file, String documentPath) {
        return new SourceLocation(file, 0, 0, documentPath);
    }

    /** The same position with another key path. */
    public SourceLocation withDocumentPath(String path) {
        return new SourceLocation(file, line, column, path);
    }

    /** {@code file:line:column (path)}, leaving out what is unknown. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(file.toString());
        if (line > 0) {
            b.append(':').append(line);
            if (column > 0) {
                b.append(':').append(column);
            }
        }
        if (!documentPath.isEmpty()) {
            b.append(" (").append(documentPath).append(')');
        }
        return b.toString();
    }
}
