package dev.evomerge.bench;

import dev.evomerge.tensor.DType;
import dev.evomerge.tensor.Shape;
import dev.evomerge.tensor.TensorInfo;
import dev.evomerge.tensor.io.ModelWriter;
import dev.evomerge.tensor.io.SafetensorsModel;
import dev.evomerge.tensor.io.StagedDirectory;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Reads every tensor of a multi-GB synthetic bf16 model through {@link SafetensorsModel}, next to a plain
 * sequential {@link FileChannel} read of the same files, in the same run, and prints both throughputs and their
 * ratio. Both sides touch every byte (a sum over 8-byte words), from the page cache after a warm-up pass.
 *
 * <p>Run: {@code bench/run.sh read [--size-gb 3] [--dir DIR] [--rounds 3] [--keep]}.
 */
public final class ReadBenchmark {

    private static final long TENSOR_BYTES = 64L << 20;

    public static void main(String[] args) throws IOException {
        BenchArgs a = new BenchArgs(args);
        double sizeGb = a.number("size-gb", 3);
        int rounds = (int) a.number("rounds", 3);
        Path dir = a.path("dir", "evomerge-runtime/target/bench/read-model");
        long total = (long) (sizeGb * 1e9);
        if (!Files.exists(dir.resolve(SafetensorsModel.INDEX_FILE))) {
            System.out.printf(Locale.ROOT, "writing a %.1f GB synthetic bf16 model to %s%n", sizeGb, dir);
            writeModel(dir, total);
        }
        List<Path> files;
        try (SafetensorsModel m = SafetensorsModel.open(dir)) {
            files = m.shards();
        }
        long bytes = 0;
        for (Path f : files) {
            bytes += Files.size(f);
        }
        plainRead(files);
        ourRead(dir);
        double bestPlain = Double.MAX_VALUE;
        double bestOurs = Double.MAX_VALUE;
        for (int r = 0; r < rounds; r++) {
            bestPlain = Math.min(bestPlain, plainRead(files));
            bestOurs = Math.min(bestOurs, ourRead(dir));
        }
        double gb = bytes / 1e9;
        System.out.printf(Locale.ROOT, "model: %.2f GB in %d shards (best of %d rounds, page cache warm)%n", gb,
                files.size(), rounds);
        System.out.printf(Locale.ROOT, "plain sequential read: %6.2f GB/s%n", gb / bestPlain);
        System.out.printf(Locale.ROOT, "evomerge reader:       %6.2f GB/s%n", gb / bestOurs);
        System.out.printf(Locale.ROOT, "ratio reader/plain:    %6.2f (target >= 0.90)%n", bestPlain / bestOurs);
        if (!a.flag("keep")) {
            StagedDirectory.deleteRecursively(dir);
        }
    }

    private static void writeModel(Path dir, long totalBytes) {
        int n = (int) Math.max(1, totalBytes / TENSOR_BYTES);
        List<TensorInfo> tensors = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            tensors.add(new TensorInfo("model.layers." + i + ".mlp.weight", DType.BF16,
                    Shape.of(TENSOR_BYTES / 2 / 4096, 4096)));
        }
        SplittableRandom rnd = new SplittableRandom(7);
        byte[] block = new byte[(int) TENSOR_BYTES];
        try (ModelWriter w = ModelWriter.create(dir, tensors, 1_000_000_000L, true)) {
            for (TensorInfo t : tensors) {
                for (int i = 0; i < block.length; i += 8) {
                    long v = rnd.nextLong();
                    for (int k = 0; k < 8; k++) {
                        block[i + k] = (byte) (v >>> (8 * k));
                    }
                }
                w.write(t.name(), MemorySegment.ofArray(block));
            }
            w.commit();
        }
    }

    /** Seconds to read the files sequentially into a buffer and sum them. */
    private static double plainRead(List<Path> files) throws IOException {
        long start = System.nanoTime();
        long sum = 0;
        ByteBuffer buf = ByteBuffer.allocateDirect(8 << 20);
        MemorySegment view = MemorySegment.ofBuffer(buf);
        for (Path f : files) {
            try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
                int n;
                while ((n = ch.read(buf.clear())) > 0) {
                    sum += sumWords(view, n / 8);
                }
            }
        }
        blackhole(sum);
        return (System.nanoTime() - start) / 1e9;
    }

    /** Seconds to open the model and read every tensor's bytes through the reader, summing them. */
    private static double ourRead(Path dir) {
        long start = System.nanoTime();
        long sum = 0;
        try (SafetensorsModel m = SafetensorsModel.open(dir)) {
            for (String name : m.names()) {
                MemorySegment s = m.bytes(name);
                sum += sumWords(s, s.byteSize() / 8);
            }
        }
        blackhole(sum);
        return (System.nanoTime() - start) / 1e9;
    }

    /** The same per-byte work on both sides: a sum of the first {@code words} 8-byte words. */
    private static long sumWords(MemorySegment s, long words) {
        long sum = 0;
        for (long i = 0; i < words; i++) {
            sum += s.getAtIndex(ValueLayout.JAVA_LONG_UNALIGNED, i);
        }
        return sum;
    }

    private static volatile long sink;

    private static void blackhole(long v) {
        sink += v;
    }
}
