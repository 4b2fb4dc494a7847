package dev.evomerge.io;

import dev.evomerge.diag.InputException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checks on files a user points evomerge at before they are opened: a FIFO, socket or device named like a model or
 * config file would block the open or the read forever (or never end), so only regular files are read.
 *
 * <p>Stateless and thread-safe.
 */
public final class InputFiles {

    private InputFiles() {
    }

    /**
     * Refuses {@code file} when it exists and is not a regular file (symbolic links are followed); a missing file is
     * left to the caller, which knows what to suggest.
     */
    public static void requireRegular(Path file) {
        if (Files.exists(file) && !Files.isRegularFile(file)) {
            String kind = Files.isDirectory(file) ? "a directory" : "a FIFO, socket or device";
            throw new InputException(file, "is " + kind + ", not a regular file", "replace it with the file itself");
        }
    }
}
