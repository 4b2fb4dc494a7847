package dev.evomerge.tensor.io;

import dev.evomerge.diag.InputException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * An output directory built in a temporary sibling ({@code .NAME.tmp-...}) and renamed into place only by
 * {@link #commit()}, so a failed or interrupted run never leaves a half-written output where a good one would be.
 * {@link #close()} without a commit deletes the temporary directory. An existing non-empty target is refused unless
 * {@code overwrite} is set; then it is moved aside, replaced by one rename, and deleted.
 *
 * <p>Not thread-safe; one owner creates, fills (files inside may be written by many threads) and commits it.
 */
public final class StagedDirectory implements AutoCloseable {

    /** Numbers the siblings this process creates. */
    private static final java.util.concurrent.atomic.AtomicLong SIBLINGS = new java.util.concurrent.atomic.AtomicLong();

    private final Path target;
    private final Path staging;
    private final boolean overwrite;
    private boolean done;

    private StagedDirectory(Path target, Path staging, boolean overwrite) {
        this.target = target;
        this.staging = staging;
        this.overwrite = overwrite;
    }

    /** Checks the target can be written, then creates the temporary sibling. */
    public static StagedDirectory create(Path target, boolean overwrite) {
        Path abs = target.toAbsolutePath().normalize();
        checkTarget(abs, overwrite);
        Path parent = abs.getParent();
        try {
            Files.createDirectories(parent);
            Path staging = createSibling(parent, "." + abs.getFileName() + ".tmp-");
            return new StagedDirectory(abs, staging, overwrite);
        } catch (IOException e) {
            throw new InputException(parent, "cannot create a directory next to the output: " + e.getMessage(),
                    "check that the directory is writable", e);
        }
    }

    /**
     * A new directory {@code prefix + pid-n} in {@code parent}, with the permissions the umask gives, like the
     * output directory mergekit creates (a temporary directory would be private to its owner, and its random name
     * costs a secure random generator's start-up).
     */
    private static Path createSibling(Path parent, String prefix) throws IOException {
        long pid = ProcessHandle.current().pid();
        while (true) {
            try {
                return Files.createDirectory(parent.resolve(prefix + pid + "-" + SIBLINGS.getAndIncrement()));
            } catch (java.nio.file.FileAlreadyExistsException taken) {
                // left by an earlier process with the same pid: try the next number
            }
        }
    }

    /** Fails fast when the target exists and may not be replaced. */
    public static void checkTarget(Path target, boolean overwrite) {
        if (Files.exists(target)) {
            if (!Files.isDirectory(target)) {
                throw new InputException(target, "output exists and is not a directory",
                        "choose another output directory");
            }
            if (!overwrite && !isEmpty(target)) {
                throw new InputException(target, "output directory exists and is not empty",
                        "choose another directory, or pass --overwrite (Maven: -Devomerge.overwrite=true)");
            }
        }
    }

    /** The temporary directory to fill. */
    public Path path() {
        return staging;
    }

    /** The final location. */
    public Path target() {
        return target;
    }

    /** Writes a small file into the staging directory. */
    public void writeFile(String relativeName, byte[] content) {
        Path file = staging.resolve(relativeName);
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** Moves the staging directory into place. */
    public void commit() {
        if (done) {
            throw new IllegalStateException("already committed or closed: " + target);
        }
        Path old = null;
        try {
            if (Files.exists(target)) {
                checkTarget(target, overwrite);
                old = createSibling(target.getParent(), "." + target.getFileName() + ".old-");
                Files.delete(old);
                move(target, old);
            }
            move(staging, target);
            done = true;
        } catch (IOException e) {
            if (old != null && !Files.exists(target)) {
                try {
                    move(old, target);
                    old = null;
                } catch (IOException restore) {
                    e.addSuppressed(restore);
                }
            }
            throw new InputException(target, "cannot move the finished output into place: " + e.getMessage(),
                    "check the directory permissions", e);
        }
        if (old != null) {
            deleteRecursively(old);
        }
    }

    /** Deletes the staging directory unless it was committed. */
    @Override
    public void close() {
        if (!done) {
            done = true;
            deleteRecursively(staging);
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException | FileAlreadyExistsException e) {
            Files.move(from, to);
        }
    }

    private static boolean isEmpty(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        } catch (IOException e) {
            throw new InputException(dir, "cannot list the output directory: " + e.getMessage(), null, e);
        }
    }

    /** Deletes a directory tree, ignoring what is already gone. */
    public static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }
}
