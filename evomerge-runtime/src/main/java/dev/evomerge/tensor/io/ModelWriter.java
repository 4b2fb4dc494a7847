package dev.evomerge.tensor.io;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.evomerge.diag.InputException;
import dev.evomerge.io.Pools;
import dev.evomerge.json.PythonJsonWriter;
import dev.evomerge.tensor.Conversions;
import dev.evomerge.tensor.TensorInfo;
import dev.evomerge.tensor.TensorSource;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes a model's weights as sharded safetensors into a {@link StagedDirectory}. Every output tensor is declared
 * up front, so the {@link ShardLayout} fixes each tensor's file and offset before any data arrives; tensors may
 * then be written in any order, in pieces, from several threads, straight to disk with positional writes (no shard
 * is ever held in memory). {@link #commit()} checks that every byte was written, writes the index when there are
 * several shards, and renames the directory into place. Identical input gives identical bytes.
 *
 * {@snippet :
 * try (ModelWriter out = ModelWriter.create(outDir, tensors, 5_000_000_000L, false)) {
 *     for (TensorInfo t : tensors) {
 *         out.writeFloats(t.name(), 0, values(t), 0, values(t).length);
 *     }
 *     out.staging().writeFile("config.json", configBytes);
 *     out.commit();
 * }
 * }
 *
 * <p>{@code write*} methods are thread-safe; {@code commit} and {@code close} are called by the owner once.
 */
public final class ModelWriter implements AutoCloseable {

    private static final JsonFactory JSON = JsonFactory.builder().build();
    private static final int CHUNK_ELEMENTS = 1 << 16;
    /** What a {@link TensorWriter} writes at once (but the last piece of a tensor). */
    private static final int IN_ORDER_WRITE_BYTES = 128 << 10;

    /**
     * Direct buffers where {@link #writeFloats} and {@link TensorWriter} encode a chunk of the widest dtype (float64),
     * one per thread writing at once: the channel writes a direct buffer without copying it first.
     */
    private final java.util.concurrent.ConcurrentLinkedQueue<ByteBuffer> encodeBuffers =
            new java.util.concurrent.ConcurrentLinkedQueue<>();

    private final StagedDirectory staging;
    private final ShardLayout layout;
    private final Map<String, Target> targets = new HashMap<>();
    private final List<FileChannel> channels = new ArrayList<>();
    private final Flusher flusher = new Flusher();
    private final List<ShardDigest.Shard> shardFiles = new ArrayList<>();
    private volatile boolean durable;
    private ShardDigest digests;
    private boolean committed;
    private boolean finished;

    /**
     * Where one tensor's bytes go: {@code written} counts them, {@code prefix} is how many from its start are all
     * written (what a {@link ShardDigest} may hash), {@code shard} wakes the shard's digest.
     */
    record Target(TensorInfo info, FileChannel channel, long position, AtomicLong written, AtomicLong prefix,
            ShardDigest.Shard shard) {
    }

    private ModelWriter(StagedDirectory staging, ShardLayout layout) {
        this.staging = staging;
        this.layout = layout;
    }

    /**
     * Declares the output and creates the shard files in a temporary sibling of {@code outDir}.
     *
     * @param tensorsInWriteOrder every output tensor, in the order the index should list them
     * @param maxShardBytes the shard size limit in bytes
     * @param overwrite whether an existing non-empty {@code outDir} may be replaced
     */
    public static ModelWriter create(Path outDir, List<TensorInfo> tensorsInWriteOrder, long maxShardBytes,
            boolean overwrite) {
        ShardLayout layout = ShardLayout.of(tensorsInWriteOrder, maxShardBytes);
        StagedDirectory staging = StagedDirectory.create(outDir, overwrite);
        ModelWriter writer = new ModelWriter(staging, layout);
        try {
            for (ShardLayout.Shard shard : layout.shards()) {
                writer.openShard(shard);
            }
            return writer;
        } catch (RuntimeException e) {
            writer.close();
            throw e;
        }
    }

    private void openShard(ShardLayout.Shard shard) {
        Path file = staging.path().resolve(shard.fileName());
        try {
            FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                    StandardOpenOption.READ);
            channels.add(ch);
            byte[] header = header(shard);
            ByteBuffer buf = ByteBuffer.allocate(8 + header.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            buf.putLong(header.length).put(header).flip();
            writeFully(ch, buf, 0);
            ShardDigest.Shard digestShard = new ShardDigest.Shard(shard, file, buf.array());
            shardFiles.add(digestShard);
            long dataStart = 8L + header.length;
            long end = dataStart + shard.dataBytes();
            // the file at its final size now, its blocks reserved where the platform allows: the tensors fill it in
            // any order
            if (shard.dataBytes() > 0 && !FileSpace.reserve(file, dataStart, shard.dataBytes())) {
                writeFully(ch, ByteBuffer.allocate(1), end - 1);
            }
            for (ShardLayout.Placed p : shard.tensors()) {
                targets.put(p.info().name(), new Target(p.info(), ch, dataStart + p.begin(), new AtomicLong(),
                        new AtomicLong(), digestShard));
            }
        } catch (IOException e) {
            throw new InputException(file, "cannot write the shard: " + e.getMessage(), "check disk space", e);
        }
    }

    /** The header JSON as safetensors writes it, padded with spaces so the data starts at a multiple of 8. */
    static byte[] header(ShardLayout.Shard shard) {
        var bytes = new java.io.ByteArrayOutputStream();
        try (JsonGenerator g = JSON.createGenerator(bytes)) {
            g.writeStartObject();
            g.writeObjectFieldStart("__metadata__");
            g.writeStringField("format", "pt");
            g.writeEndObject();
            for (ShardLayout.Placed p : shard.tensors()) {
                g.writeObjectFieldStart(p.info().name());
                g.writeStringField("dtype", p.info().dtype().safetensorsName());
                long[] dims = p.info().shape().dims();
                g.writeFieldName("shape");
                g.writeArray(dims, 0, dims.length);
                g.writeFieldName("data_offsets");
                g.writeArray(new long[] {p.begin(), p.end()}, 0, 2);
                g.writeEndObject();
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new IllegalStateException("writing JSON to memory failed", e);
        }
        byte[] json = bytes.toByteArray();
        int padded = (json.length + 7) / 8 * 8;
        byte[] out = java.util.Arrays.copyOf(json, padded);
        java.util.Arrays.fill(out, json.length, padded, (byte) ' ');
        return out;
    }

    /**
     * Makes the commit durable: the shards reach the disk before the directory is renamed into place (flushed in
     * the background while they are written). Without it, as mergekit and Hugging Face write models, the files go
     * through the page cache: a crash of the process never leaves a half-written output, a crash of the machine
     * may. For outputs a resumable run depends on. Call before writing.
     */
    public ModelWriter durable() {
        durable = true;
        return this;
    }

    /**
     * Computes each shard's SHA-256 while it is written, on up to {@code threads} threads of its own: a shard's
     * digest follows its writes through the file in order, hashing what is written (read back through a read-only
     * mapping while it is still in the page cache) as soon as everything before it is, so the hashing overlaps the
     * merge instead of following it. The digests are what {@code sha256sum} gives for the committed files;
     * {@link #shardSha256()} waits for them. Call before writing: writers that write the shards' tensors in their
     * {@link #fileOrder() file order} let it keep pace.
     */
    public ModelWriter digestingShards(int threads) {
        if (digests == null) {
            digests = ShardDigest.start(targets, shardFiles, Math.max(1, threads));
        }
        return this;
    }

    /** Whether {@link #digestingShards} was called. */
    public boolean digestsShards() {
        return digests != null;
    }

    /**
     * The SHA-256 (lower-case hex) of each shard file, by file name, once the writer is finished: waits for the
     * digests {@link #digestingShards} started; empty when it was not called.
     *
     * @throws IllegalStateException when called before {@link #finish()}
     */
    public Map<String, String> shardSha256() {
        if (!finished) {
            throw new IllegalStateException("the shards' digests are known once the writer is finished");
        }
        return digests == null ? Map.of() : digests.await();
    }

    /**
     * The order of the tensors in the files: shard by shard, each shard's tensors by position. A writer that
     * writes them in this order lets {@link #digestingShards} hash each shard right behind the writes.
     */
    public java.util.Comparator<String> fileOrder() {
        Map<String, Integer> rank = new HashMap<>();
        for (ShardLayout.Shard shard : layout.shards()) {
            for (ShardLayout.Placed p : shard.tensors()) {
                rank.put(p.info().name(), rank.size());
            }
        }
        return java.util.Comparator.comparingInt(name -> rank.getOrDefault(name, Integer.MAX_VALUE));
    }

    public ShardLayout layout() {
        return layout;
    }

    /** The temporary output directory, for the other files of the model (config, tokenizer, card). */
    public StagedDirectory staging() {
        return staging;
    }

    /** Writes a whole tensor's raw bytes (in its declared dtype). */
    public void write(String name, MemorySegment bytes) {
        Target t = target(name);
        if (bytes.byteSize() != t.info().byteSize()) {
            throw new IllegalArgumentException("tensor '" + name + "' needs " + t.info().byteSize()
                    + " bytes, got " + bytes.byteSize());
        }
        writeBytes(t, 0, bytes);
    }

    /**
     * Writes {@code count} float32 values as elements {@code [fromElement, fromElement + count)} of a tensor,
     * encoded to its declared dtype.
     */
    public void writeFloats(String name, long fromElement, float[] values, int offset, int count) {
        Target t = target(name);
        if (fromElement < 0 || fromElement + count > t.info().numel()) {
            throw new IllegalArgumentException("elements [" + fromElement + ", " + (fromElement + count)
                    + ") are outside tensor '" + name + "' of " + t.info().numel());
        }
        int elementSize = t.info().dtype().byteSize();
        ByteBuffer buffer = takeBuffer();
        try {
            MemorySegment chunk = MemorySegment.ofBuffer(buffer);
            for (int done = 0; done < count; ) {
                int n = Math.min(CHUNK_ELEMENTS, count - done);
                Conversions.fromFloats(values, offset + done, n, t.info().dtype(), chunk, 0);
                writeBytes(t, (fromElement + done) * elementSize, chunk.asSlice(0, (long) n * elementSize));
                done += n;
            }
        } finally {
            encodeBuffers.offer(buffer);
        }
    }

    /**
     * A writer of one tensor's elements in index order, for one thread. It encodes them into a buffer and writes
     * that when it holds 128 KB and when the tensor's last element arrives: a write per merged block (32 KB of
     * bf16) spends more in the page cache's per-call work and the threads' turns at the file's lock. (Writes of
     * 512 KB measured worse: the other thread spins on the lock for longer.)
     */
    public TensorWriter inOrder(String name) {
        return new TensorWriter(target(name));
    }

    /** See {@link #inOrder}. Not thread-safe. */
    public final class TensorWriter {

        private final Target target;
        private final int elementSize;
        private final long numel;
        private ByteBuffer buffer;
        private MemorySegment encoded;
        private long next;
        private int buffered;

        private TensorWriter(Target target) {
            this.target = target;
            this.elementSize = target.info().dtype().byteSize();
            this.numel = target.info().numel();
        }

        /** Writes {@code values[offset, offset+count)} as elements {@code [fromElement, ...)}, which must come next. */
        public void write(long fromElement, float[] values, int offset, int count) {
            if (fromElement != next || fromElement + count > numel) {
                throw new IllegalArgumentException("elements [" + fromElement + ", " + (fromElement + count)
                        + ") of tensor '" + target.info().name() + "' of " + numel + ": element " + next
                        + " must come next");
            }
            for (int done = 0; done < count; ) {
                if (buffer == null) {
                    buffer = takeBuffer();
                    encoded = MemorySegment.ofBuffer(buffer);
                }
                int capacity = IN_ORDER_WRITE_BYTES / elementSize;
                int n = Math.min(capacity - buffered, count - done);
                Conversions.fromFloats(values, offset + done, n, target.info().dtype(), encoded, buffered);
                buffered += n;
                done += n;
                next += n;
                if (buffered == capacity || next == numel) {
                    long bytes = (long) buffered * elementSize;
                    writeBytes(target, next * elementSize - bytes, encoded.asSlice(0, bytes));
                    buffered = 0;
                }
            }
            if (next == numel && buffer != null) {
                encodeBuffers.offer(buffer);
                buffer = null;
            }
        }
    }

    private ByteBuffer takeBuffer() {
        ByteBuffer buffer = encodeBuffers.poll();
        return buffer != null ? buffer : ByteBuffer.allocateDirect(CHUNK_ELEMENTS * Double.BYTES);
    }

    private void writeBytes(Target t, long byteOffset, MemorySegment bytes) {
        long size = bytes.byteSize();
        try {
            for (long done = 0; done < size; ) {
                long n = Math.min(size - done, 1L << 30);
                writeFully(t.channel(), bytes.asSlice(done, n).asByteBuffer(), t.position() + byteOffset + done);
                done += n;
            }
        } catch (IOException e) {
            throw new InputException(staging.path(), "cannot write tensor '" + t.info().name() + "': "
                    + e.getMessage(), "check disk space", e);
        }
        long total = t.written().addAndGet(size);
        // every byte is written once the tensor is complete; before, the bytes up to here are when this piece
        // continues the written prefix
        long before = byteOffset;
        long after = byteOffset + size;
        if (total == t.info().byteSize()) {
            before = t.prefix().getAndSet(total);
            after = total;
        } else if (!t.prefix().compareAndSet(before, after)) {
            after = before;
        }
        if (after > before) {
            t.shard().advanced(before, after, t.info().byteSize());
        }
        if (durable) {
            flusher.wrote(t.channel(), size);
        }
    }

    private Target target(String name) {
        Target t = targets.get(name);
        if (t == null) {
            throw new IllegalArgumentException("tensor '" + name + "' was not declared");
        }
        return t;
    }

    private static void writeFully(FileChannel ch, ByteBuffer buf, long position) throws IOException {
        long pos = position;
        while (buf.hasRemaining()) {
            pos += ch.write(buf, pos);
        }
    }

    /**
     * Checks every tensor is complete, closes the shards and writes the index if sharded: the temporary directory
     * then holds the whole model, and files that describe it (the lock, with every shard's hash) can be written
     * into it before {@link #commit} moves it into place, so that a kill never leaves the model without them.
     */
    public void finish() {
        if (finished) {
            return;
        }
        for (Target t : targets.values()) {
            if (t.written().get() != t.info().byteSize()) {
                throw new IllegalStateException("tensor '" + t.info().name() + "' has " + t.written().get() + " of "
                        + t.info().byteSize() + " bytes written");
            }
        }
        try {
            flusher.finish();
            for (FileChannel ch : channels) {
                if (durable) {
                    ch.force(true);
                }
                ch.close();
            }
        } catch (IOException e) {
            throw new InputException(staging.path(), "cannot finish writing the shards: " + e.getMessage(),
                    "check disk space", e);
        }
        channels.clear();
        if (layout.shards().size() > 1) {
            staging.writeFile(SafetensorsModel.INDEX_FILE, indexJson(layout).getBytes(StandardCharsets.UTF_8));
        }
        finished = true;
    }

    /** {@link #finish}es the model if that is not done yet, and moves the directory into place. */
    public void commit() {
        finish();
        staging.commit();
        committed = true;
    }

    /** The index as Python's {@code json.dump(index, f, indent=2)} lays it out. */
    static String indexJson(ShardLayout layout) {
        StringBuilder b = new StringBuilder("{\n  \"metadata\": {\n    \"total_size\": ")
                .append(layout.totalBytes()).append("\n  },\n  \"weight_map\": {");
        boolean first = true;
        for (var e : layout.weightMap().entrySet()) {
            b.append(first ? "\n" : ",\n").append("    ").append(PythonJsonWriter.quote(e.getKey())).append(": ")
                    .append(PythonJsonWriter.quote(e.getValue()));
            first = false;
        }
        return b.append(first ? "}\n}" : "\n  }\n}").toString();
    }

    /** Closes the files; without a commit, deletes the temporary directory. */
    @Override
    public void close() {
        if (digests != null && !committed) {
            digests.cancel();
        }
        flusher.stop();
        for (FileChannel ch : channels) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // The directory is deleted next; nothing of it is kept.
            }
        }
        channels.clear();
        staging.close();
    }

    /** Writes every tensor of a source, in the given order, as a model directory (tests, synthetic models). */
    public static void writeAll(Path outDir, TensorSource source, List<String> order, long maxShardBytes,
            boolean overwrite, Map<String, byte[]> extraFiles) {
        List<TensorInfo> infos = order.stream().map(n -> source.info(n).orElseThrow()).toList();
        try (ModelWriter w = create(outDir, infos, maxShardBytes, overwrite)) {
            for (String n : order) {
                w.write(n, source.bytes(n));
            }
            extraFiles.forEach(w.staging()::writeFile);
            w.commit();
        }
    }

    /**
     * Flushes shard data to disk in the background while the merge goes on, each time another
     * {@link #STEP} bytes of a shard have been written, so the commit's final flush has only the last part left
     * and the disk works while the merge computes.
     */
    private static final class Flusher {

        static final long STEP = 128L << 20;

        private final Map<FileChannel, AtomicLong> unflushed = new java.util.concurrent.ConcurrentHashMap<>();
        private final java.util.concurrent.ExecutorService background =
                java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
                    Thread t = new Thread(r, "evomerge-flush");
                    t.setDaemon(true);
                    return t;
                });
        private final java.util.concurrent.atomic.AtomicReference<IOException> failure =
                new java.util.concurrent.atomic.AtomicReference<>();

        void wrote(FileChannel ch, long bytes) {
            AtomicLong pending = unflushed.computeIfAbsent(ch, c -> new AtomicLong());
            long now = pending.addAndGet(bytes);
            if (now >= STEP && pending.compareAndSet(now, 0)) {
                try {
                    background.execute(() -> {
                        try {
                            ch.force(false);
                        } catch (java.nio.channels.ClosedChannelException closing) {
                            // The writer is closing; the commit flushes what it keeps.
                        } catch (IOException e) {
                            failure.compareAndSet(null, e);
                        }
                    });
                } catch (java.util.concurrent.RejectedExecutionException stopped) {
                    // Stopped: the commit's own flush covers everything.
                }
            }
        }

        /** Waits for the background flushes; the first failure among them is the commit's. */
        void finish() throws IOException {
            stop();
            IOException e = failure.get();
            if (e != null) {
                throw e;
            }
        }

        /** Takes no more flushes and waits for the running one (never interrupts: that would close the file). */
        void stop() {
            Pools.shutdownAndWait(background);
        }
    }
}
