package dev.evomerge.tensor.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.locks.LockSupport;

/**
 * The SHA-256 of a {@link ModelWriter}'s shards, computed while they are written: one task per shard hashes its
 * header, then its tensors in file order, each part as soon as every byte before it is written (read back through a
 * read-only mapping of the shard, from the page cache the writes just filled). The writer wakes a shard's task
 * when a tensor's written prefix passes a multiple of {@value #STEP_BYTES} bytes or the tensor is complete, so the
 * task hashes pieces of that size and otherwise sleeps. Cancelled when the writer closes uncommitted.
 *
 * <p>Thread-safe.
 */
final class ShardDigest {

    /** What a shard's task waits for before it hashes again (or a tensor's end). */
    static final long STEP_BYTES = 8L << 20;
    /** Bytes mapped at a time. */
    private static final long WINDOW_BYTES = 64L << 20;

    private final Map<String, Future<String>> digests;
    private final List<Shard> shards;
    private final List<FileChannel> channels;
    private final ExecutorService pool;

    /**
     * A shard file as its task sees it: the layout, the file, its first bytes (length and header, written when
     * the file is created), and the task's thread while it waits for writes.
     */
    static final class Shard {

        final ShardLayout.Shard layout;
        final Path file;
        final byte[] head;
        private volatile Thread waiting;
        private volatile boolean cancelled;

        Shard(ShardLayout.Shard layout, Path file, byte[] head) {
            this.layout = layout;
            this.file = file;
            this.head = head;
        }

        /** A tensor's written prefix grew from {@code before} to {@code after} bytes of {@code size}. */
        void advanced(long before, long after, long size) {
            if (after == size || before / STEP_BYTES != after / STEP_BYTES) {
                Thread t = waiting;
                if (t != null) {
                    LockSupport.unpark(t);
                }
            }
        }

        void cancel() {
            cancelled = true;
            Thread t = waiting;
            if (t != null) {
                LockSupport.unpark(t);
            }
        }

        /** Waits until {@code prefix} holds at least {@code want}; returns it. */
        long await(java.util.concurrent.atomic.AtomicLong prefix, long want) {
            while (true) {
                long have = prefix.get();
                if (have >= want) {
                    return have;
                }
                waiting = Thread.currentThread();
                have = prefix.get();
                if (have < want && !cancelled) {
                    LockSupport.park(this);
                }
                waiting = null;
                if (cancelled) {
                    throw new CancellationException("the writer of " + file + " was closed uncommitted");
                }
            }
        }
    }

    private ShardDigest(Map<String, Future<String>> digests, List<Shard> shards, List<FileChannel> channels,
            ExecutorService pool) {
        this.digests = digests;
        this.shards = shards;
        this.channels = channels;
        this.pool = pool;
    }

    /** Starts a task per shard on up to {@code threads} threads, in shard order. */
    static ShardDigest start(Map<String, ModelWriter.Target> targets, List<Shard> shards, int threads) {
        // every file opened now: a task that starts late must not look for the staging directory after the commit
        // renamed it
        List<FileChannel> channels = new ArrayList<>();
        try {
            for (Shard s : shards) {
                channels.add(FileChannel.open(s.file, StandardOpenOption.READ));
            }
        } catch (IOException e) {
            channels.forEach(ShardDigest::closeQuietly);
            throw new UncheckedIOException("cannot read back " + e.getMessage(), e);
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(threads, Math.max(1, shards.size())), r -> {
            Thread t = new Thread(r, "evomerge-shard-digest");
            t.setDaemon(true);
            return t;
        });
        Map<String, Future<String>> digests = new LinkedHashMap<>();
        for (int i = 0; i < shards.size(); i++) {
            Shard s = shards.get(i);
            FileChannel ch = channels.get(i);
            digests.put(s.layout.fileName(), pool.submit(() -> {
                try (ch) {
                    return hash(s, ch, targets);
                }
            }));
        }
        pool.shutdown();
        return new ShardDigest(digests, List.copyOf(shards), List.copyOf(channels), pool);
    }

    private static String hash(Shard s, FileChannel ch, Map<String, ModelWriter.Target> targets) throws IOException {
        MessageDigest sha = sha256();
        sha.update(s.head);
        long dataStart = s.head.length;
        for (ShardLayout.Placed p : s.layout.tensors()) {
            ModelWriter.Target t = targets.get(p.info().name());
            long size = p.end() - p.begin();
            for (long done = 0; done < size; ) {
                long have = s.await(t.prefix(), Math.min(size, (done / STEP_BYTES + 1) * STEP_BYTES));
                long from = dataStart + p.begin() + done;
                long length = have - done;
                for (long at = 0; at < length; at += WINDOW_BYTES) {
                    try (Arena arena = Arena.ofConfined()) {
                        MemorySegment window = ch.map(FileChannel.MapMode.READ_ONLY, from + at,
                                Math.min(WINDOW_BYTES, length - at), arena);
                        sha.update(window.asByteBuffer());
                    }
                }
                done = have;
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    /** Each shard's SHA-256 by file name, waiting for the tasks. */
    Map<String, String> await() {
        Map<String, String> out = new LinkedHashMap<>();
        boolean interrupted = false;
        try {
            for (var e : digests.entrySet()) {
                while (true) {
                    try {
                        out.put(e.getKey(), e.getValue().get());
                        break;
                    } catch (InterruptedException ie) {
                        interrupted = true;
                    }
                }
            }
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UncheckedIOException u) {
                throw u;
            }
            if (e.getCause() instanceof IOException io) {
                throw new UncheckedIOException("cannot read back a shard to hash it: " + io.getMessage(), io);
            }
            throw new IllegalStateException("hashing a shard failed", e.getCause());
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        return out;
    }

    /** Stops every task (the writer closed uncommitted). */
    void cancel() {
        shards.forEach(Shard::cancel);
        pool.shutdownNow();
        // the tasks that never started close nothing themselves
        channels.forEach(ShardDigest::closeQuietly);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    private static void closeQuietly(FileChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // nothing is read from it any more
        }
    }
}
