package dev.evomerge.tensor.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.evomerge.diag.InputException;
import dev.evomerge.event.EventListener;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Exclusive ownership of a place on disk for one run's life: an evolve work directory ({@code WORK/.evomerge.owner})
 * or a merge's output directory ({@code .NAME.evomerge.owner} beside it, since the directory itself is replaced by
 * a rename at the end). The file holds the owner's pid, host and start time, and is held with an OS file lock, so
 * a second run is refused with the holder's name while the owner lives; the lock goes with the process, so a file
 * left by a killed run is taken over, with a warning. {@link #close()} deletes the file, as does the exit hook on
 * SIGTERM or Ctrl-C.
 *
 * <p>Not thread-safe; one run claims it in a try-with-resources block.
 */
public final class OwnerFile implements AutoCloseable {

    /** The owner file of a work directory. */
    public static final String NAME = ".evomerge.owner";

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Numbers this process's claims, so two claims of one process never write the same text. */
    private static final AtomicLong CLAIMS = new AtomicLong();

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;
    private final ExitCleanup.Registration onExit;
    /** The parent this claim created and the topmost directory it created, removed again if left empty. */
    private Path[] createdDirectories;
    private boolean closed;

    private OwnerFile(Path file, FileChannel channel, FileLock lock) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
        this.onExit = ExitCleanup.register(this::release);
    }

    /** Claims a work directory, which must exist: its {@value #NAME} file. */
    public static OwnerFile claimDirectory(Path directory, EventListener events) {
        return claim(directory.resolve(NAME), directory, events);
    }

    /** Claims an output directory that is replaced as a whole: the {@code .NAME.evomerge.owner} file beside it. */
    public static OwnerFile claimOutput(Path output, EventListener events) {
        Path abs = output.toAbsolutePath().normalize();
        Path parent = abs.getParent();
        if (parent == null) {
            throw new InputException(abs, "the file-system root cannot be an output directory",
                    "choose a directory below it");
        }
        Path firstCreated = null;
        for (Path p = parent; p != null && !Files.exists(p); p = p.getParent()) {
            firstCreated = p;
        }
        try {
            Files.createDirectories(parent);
        } catch (IOException e) {
            throw new InputException(parent, "cannot create the directory: " + e.getMessage(),
                    "check that it is writable", e);
        }
        OwnerFile owner = claim(parent.resolve("." + abs.getFileName() + NAME), abs, events);
        owner.createdDirectories = firstCreated == null ? null : new Path[] {parent, firstCreated};
        return owner;
    }

    private static OwnerFile claim(Path file, Path place, EventListener events) {
        while (true) {
            FileChannel channel = null;
            try {
                channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                        StandardOpenOption.WRITE);
                FileLock lock;
                try {
                    lock = channel.tryLock();
                } catch (OverlappingFileLockException sameProcess) {
                    lock = null;
                }
                if (lock == null) {
                    String holder = describe(read(channel));
                    channel.close();
                    throw new InputException(place, "is in use by another evomerge run (" + holder + ", owner file "
                            + file.getFileName() + ")", "wait for that run to end, or stop it");
                }
                JsonNode previous = read(channel);
                String ours = write(channel);
                if (!ours.equals(readPath(file))) {
                    // the previous owner deleted the file between our open and our lock, and we locked the deleted
                    // one: claim the file the path names now
                    lock.release();
                    channel.close();
                    continue;
                }
                if (previous != null) {
                    events.warn("taking over " + place + " from an evomerge run that is gone (" + describe(previous)
                            + ")");
                }
                return new OwnerFile(file, channel, lock);
            } catch (IOException e) {
                closeQuietly(channel);
                throw new InputException(file, "cannot create the owner file: " + e.getMessage(),
                        "check that the directory is writable", e);
            }
        }
    }

    /** The owner file. */
    public Path file() {
        return file;
    }

    /** Deletes the owner file and releases the lock. */
    @Override
    public void close() {
        onExit.close();
        release();
    }

    private synchronized void release() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // the lock is released below all the same; the next run takes the file over
        }
        closeQuietly(channel);
        if (createdDirectories != null) {
            // a run that failed before writing its output leaves no empty directories behind
            Path top = createdDirectories[1];
            for (Path p = createdDirectories[0]; p != null && p.startsWith(top); p = p.getParent()) {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException notEmpty) {
                    break;
                }
            }
        }
    }

    private static String readPath(Path file) throws IOException {
        try {
            return Files.readString(file);
        } catch (NoSuchFileException gone) {
            return "";
        }
    }

    private static JsonNode read(FileChannel channel) throws IOException {
        long size = channel.size();
        if (size == 0 || size > 4096) {
            return null;
        }
        ByteBuffer b = ByteBuffer.allocate((int) size);
        channel.read(b, 0);
        try {
            JsonNode n = JSON.readTree(new String(b.array(), 0, b.position(), StandardCharsets.UTF_8));
            return n != null && n.isObject() ? n : null;
        } catch (IOException notJson) {
            return null;
        }
    }

    /** Writes this process as the owner and returns the text written. */
    private static String write(FileChannel channel) throws IOException {
        ObjectNode o = JSON.createObjectNode();
        o.put("pid", ProcessHandle.current().pid());
        o.put("host", host());
        o.put("started", Instant.now().toString());
        o.put("claim", CLAIMS.incrementAndGet());
        String text = JSON.writeValueAsString(o) + "\n";
        channel.truncate(0);
        channel.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)), 0);
        channel.force(false);
        return text;
    }

    private static String describe(JsonNode owner) {
        if (owner == null) {
            return "owner unknown";
        }
        return "process " + owner.path("pid").asText("?") + " on " + owner.path("host").asText("?")
                + (owner.has("started") ? " since " + owner.path("started").asText() : "");
    }

    /** This machine's name, as the kernel has it (no DNS lookup). */
    static String host() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
        } catch (IOException | RuntimeException e) {
            try {
                return InetAddress.getLocalHost().getHostName();
            } catch (IOException unknown) {
                return "unknown host";
            }
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // nothing more to release
            }
        }
    }
}
