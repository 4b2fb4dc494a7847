package dev.evomerge.tensor.io;

import dev.evomerge.diag.InputException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.LinkOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * An output directory built in a temporary sibling ({@code .NAME.tmp-...}) and renamed into place only by
 * {@link #commit()}, so a failed or interrupted run never leaves a half-written output where a good one would be.
 * {@link #close()} without a commit deletes the temporary directory. An existing non-empty target is refused unless
 * {@code overwrite} is set; then it is moved aside, replaced by one rename, and deleted.
 *
 * <p>A staging directory is deleted on SIGTERM or Ctrl-C too ({@link ExitCleanup}); one left by a killed process
 * (its pid, in the name, no longer runs) is removed by the next run into the same place, and a previous output
 * that a killed {@code --overwrite} had set aside but not yet replaced is moved back. Callers that write a
 * user's output hold its {@link OwnerFile} meanwhile, so no other run writes there at the same time.
 *
 * <p>Not thread-safe; one owner creates, fills (files inside may be written by many threads) and commits it.
 */
public final class StagedDirectory implements AutoCloseable {

    /** Numbers the siblings this process creates. */
    private static final java.util.concurrent.atomic.AtomicLong SIBLINGS = new java.util.concurrent.atomic.AtomicLong();
    /** The siblings this process is filling now: not stale although their pid runs. */
    private static final Set<Path> LIVE = ConcurrentHashMap.newKeySet();

    private final Path target;
    private final Path staging;
    private final boolean overwrite;
    private final ExitCleanup.Registration onExit;
    private boolean done;

    private StagedDirectory(Path target, Path staging, boolean overwrite) {
        this.target = target;
        this.staging = staging;
        this.overwrite = overwrite;
        this.onExit = ExitCleanup.register(() -> deleteQuietly(staging));
    }

    /** Checks the target can be written, then creates the temporary sibling. */
    public static StagedDirectory create(Path target, boolean overwrite) {
        Path abs = target.toAbsolutePath().normalize();
        checkTarget(abs, overwrite);
        Path parent = abs.getParent();
        try {
            Files.createDirectories(parent);
            removeStale(abs);
            Path staging = createSibling(parent, "." + abs.getFileName() + ".tmp-");
            LIVE.add(staging);
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

    /**
     * Removes the staging and set-aside siblings of {@code target} ({@code .NAME.tmp-PID-N}, {@code .NAME.old-PID-N})
     * that a process which no longer runs left behind: a run killed before it could clean up.
     */
    public static void removeStale(Path target) {
        Path abs = target.toAbsolutePath().normalize();
        Path parent = abs.getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            return;
        }
        Pattern sibling = Pattern.compile("\\." + Pattern.quote(abs.getFileName().toString())
                + "\\.(?:tmp|old)-(\\d{1,19})-\\d{1,19}");
        long own = ProcessHandle.current().pid();
        List<Path> stale = new ArrayList<>();
        try (Stream<Path> s = Files.list(parent)) {
            s.forEach(p -> {
                Matcher m = sibling.matcher(p.getFileName().toString());
                if (m.matches() && Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) && !LIVE.contains(p)) {
                    long pid = Long.parseLong(m.group(1));
                    if (pid == own || !ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                        stale.add(p);
                    }
                }
            });
        } catch (IOException | NumberFormatException e) {
            return; // best effort: a leftover never stops a run
        }
        for (Path p : stale) {
            // a run killed between setting the old output aside and moving the new one in: the old one comes back
            if (p.getFileName().toString().startsWith("." + abs.getFileName() + ".old-") && !Files.exists(abs)) {
                try {
                    move(p, abs);
                    continue;
                } catch (IOException e) {
                    // leave it for the user: it may be the only copy of the previous output
                    continue;
                }
            }
            deleteQuietly(p);
        }
    }

    /** Fails fast when the target exists and may not be replaced. */
    public static void checkTarget(Path target, boolean overwrite) {
        if (target.toAbsolutePath().normalize().getParent() == null) {
            throw new InputException(target, "the file-system root cannot be an output directory",
                    "choose a directory below it");
        }
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

    /**
     * Refuses to replace {@code target} when that would delete {@code kept}: the target is {@code kept} or one of
     * its ancestors (symbolic links resolved). {@code what} names {@code kept} for the user ("the merge config").
     */
    public static void checkKeeps(Path target, Path kept, String what) {
        Path t = real(target);
        Path k = real(kept);
        if (k.startsWith(t)) {
            throw new InputException(target, "the output directory " + (k.equals(t) ? "is " : "contains ") + what
                    + " (" + kept + "), which replacing it would delete", "choose another output directory");
        }
    }

    private static Path real(Path p) {
        Path abs = p.toAbsolutePath().normalize();
        try {
            return abs.toRealPath();
        } catch (IOException e) {
            return abs;
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
            LIVE.remove(staging);
            onExit.close();
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
            try {
                deleteRecursively(staging);
            } finally {
                LIVE.remove(staging);
                onExit.close();
            }
        }
    }

    /** Deletes a tree as far as it can, retrying while writers still add files; never throws. */
    private static void deleteQuietly(Path dir) {
        for (int attempt = 0; attempt < 5; attempt++) {
            try {
                deleteRecursively(dir);
                return;
            } catch (UncheckedIOException | SecurityException e) {
                try {
                    Thread.sleep(20);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
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
