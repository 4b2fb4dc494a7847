package dev.evomerge.io;

import dev.evomerge.diag.InputException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes a whole file so that readers, and a run killed at any moment, see either the old content or the new, never
 * part of it: the content goes to a temporary sibling (a name of its own per call, so concurrent writers never share
 * one), is forced to the disk, and the sibling is renamed over the file atomically. The one routine the runtime
 * uses for the files it writes one at a time (checkpoints, summaries, best recipes, results JSON, locks, the run
 * report, a model's archive); a model directory is committed as a whole by
 * {@link dev.evomerge.tensor.io.StagedDirectory}. The file gets the permissions any new file of the process gets
 * (its umask), whatever they were before.
 *
 * <p>Stateless and thread-safe.
 */
public final class AtomicFile {

    /** Writes a file's whole content to the channel it is given (which the routine forces and closes). */
    @FunctionalInterface
    public interface Content {
        void writeTo(FileChannel channel) throws IOException;
    }

    private AtomicFile() {
    }

    /** {@link #write(Path, byte[])} of UTF-8 text. */
    public static void write(Path file, String text) {
        write(file, text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Replaces {@code file} (creating it and its parent folders where missing) with {@code content}, atomically and
     * durably. On failure the file is as it was and no temporary file is left.
     *
     * @throws InputException naming the file when it cannot be written (a folder that is not writable, a full disk)
     */
    public static void write(Path file, byte[] content) {
        write(file, channel -> {
            ByteBuffer buffer = ByteBuffer.wrap(content);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        });
    }

    /**
     * As {@link #write(Path, byte[])}, with the content streamed to the temporary sibling by {@code content}: for
     * files too large to hold as one array (a paper-scale search's checkpoint).
     */
    public static void write(Path file, Content content) {
        Path dir = file.toAbsolutePath().getParent();
        Path temp = null;
        try {
            Files.createDirectories(dir);
            FileChannel opened = null;
            while (opened == null) {
                temp = dir.resolve("." + file.getFileName() + "."
                        + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
                try {
                    // created with the process's umask, as any other file it writes (not owner-only)
                    opened = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                } catch (FileAlreadyExistsException taken) {
                    temp = null;
                }
            }
            try (FileChannel channel = opened) {
                content.writeTo(channel);
                channel.force(true);
            }
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            temp = null;
        } catch (IOException e) {
            throw new InputException(file, "cannot be written (" + e.getClass().getSimpleName() + ": "
                    + e.getMessage() + ")", "check that its folder is writable and the"
                    + " disk has room", e);
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // the write failed already; that failure is the one to report
                }
            }
        }
    }
}
