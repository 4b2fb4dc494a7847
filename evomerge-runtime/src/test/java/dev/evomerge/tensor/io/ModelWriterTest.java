package dev.evomerge.tensor.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.evomerge.diag.InputException;
import dev.evomerge.tensor.DType;
import dev.evomerge.tensor.Shape;
import dev.evomerge.tensor.TensorInfo;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelWriterTest {

    @TempDir
    Path tmp;

    private static TensorInfo f32(String name, long n) {
        return new TensorInfo(name, DType.F32, Shape.of(n));
    }

    private static float[] values(TensorInfo t) {
        float[] v = new float[(int) t.numel()];
        for (int i = 0; i < v.length; i++) {
            v[i] = t.name().hashCode() % 100 + i * 0.25f;
        }
        return v;
    }

    private static void writeAll(ModelWriter w, List<TensorInfo> tensors) {
        for (TensorInfo t : tensors) {
            float[] v = values(t);
            w.writeFloats(t.name(), 0, v, 0, v.length);
        }
    }

    @Test
    void layout_mergekitFlushRule_closesShardBeforeOverflowAndIsolatesBigTensors() {
        // sizes 40, 40, 100 (> limit), 20, 20, 20 with a 64-byte limit
        List<TensorInfo> ts = List.of(f32("a", 10), f32("b", 10), f32("c", 25), f32("d", 5), f32("e", 5),
                f32("f", 5));
        ShardLayout layout = ShardLayout.of(ts, 64);
        List<List<String>> names = layout.shards().stream()
                .map(s -> s.tensors().stream().map(p -> p.info().name()).toList()).toList();
        assertEquals(List.of(List.of("a"), List.of("b"), List.of("c"), List.of("d", "e", "f")), names);
        assertEquals(List.of("model-00001-of-00004.safetensors", "model-00002-of-00004.safetensors",
                "model-00003-of-00004.safetensors", "model-00004-of-00004.safetensors"),
                layout.shards().stream().map(ShardLayout.Shard::fileName).toList());
        assertEquals(240, layout.totalBytes());
    }

    @Test
    void commit_sharded_writesIndexInWriteOrderAndReadsBack() throws IOException {
        List<TensorInfo> ts = List.of(f32("z.weight", 10), f32("a.weight", 10), f32("m.weight", 3));
        Path out = tmp.resolve("out");
        try (ModelWriter w = ModelWriter.create(out, ts, 52, false)) {
            writeAll(w, ts);
            w.commit();
        }
        assertEquals("""
                {
                  "metadata": {
                    "total_size": 92
                  },
                  "weight_map": {
                    "z.weight": "model-00001-of-00002.safetensors",
                    "a.weight": "model-00002-of-00002.safetensors",
                    "m.weight": "model-00002-of-00002.safetensors"
                  }
                }""", Files.readString(out.resolve("model.safetensors.index.json")));
        try (SafetensorsModel m = SafetensorsModel.open(out)) {
            for (TensorInfo t : ts) {
                assertArrayEquals(values(t), m.floats(t.name()), t.name());
                assertEquals(t, m.info(t.name()).orElseThrow());
            }
        }
        assertEquals(List.of("out"), list(tmp), "no temporary directory is left");
    }

    @Test
    void commit_singleShard_noIndexAndPaddedHeaderWithFormatMetadata() throws IOException {
        List<TensorInfo> ts = List.of(new TensorInfo("w", DType.BF16, Shape.of(2, 3)), f32("b", 1));
        Path out = tmp.resolve("single");
        try (ModelWriter w = ModelWriter.create(out, ts, 5_000_000_000L, false)) {
            writeAll(w, ts);
            w.commit();
        }
        assertEquals(List.of("model.safetensors"), list(out));
        byte[] bytes = Files.readAllBytes(out.resolve("model.safetensors"));
        long n = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, (8 + n) % 8, "data starts at a multiple of 8");
        String header = new String(bytes, 8, (int) n, StandardCharsets.UTF_8);
        assertEquals("{\"__metadata__\":{\"format\":\"pt\"},\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"w\":{\"dtype\":\"BF16\",\"shape\":[2,3],\"data_offsets\":[4,16]}}", header.stripTrailing());
        assertEquals(8 + n + 16, bytes.length);
    }

    @Test
    void write_anyOrderFromManyThreadsInPieces_sameBytesAsSequential() throws IOException {
        List<TensorInfo> ts = IntStream.range(0, 40).mapToObj(i -> f32("layers." + i + ".w", 1000 + i)).toList();
        Path seq = tmp.resolve("seq");
        try (ModelWriter w = ModelWriter.create(seq, ts, 20_000, false)) {
            writeAll(w, ts);
            w.commit();
        }
        Path par = tmp.resolve("par");
        List<TensorInfo> shuffled = new ArrayList<>(ts);
        Collections.shuffle(shuffled, new Random(3));
        try (ModelWriter w = ModelWriter.create(par, ts, 20_000, false)) {
            shuffled.parallelStream().forEach(t -> {
                float[] v = values(t);
                int half = v.length / 2;
                w.writeFloats(t.name(), half, v, half, v.length - half);
                w.writeFloats(t.name(), 0, v, 0, half);
            });
            w.commit();
        }
        assertEquals(list(seq), list(par));
        for (String f : list(seq)) {
            assertArrayEquals(Files.readAllBytes(seq.resolve(f)), Files.readAllBytes(par.resolve(f)), f);
        }
    }

    @Test
    void inOrder_piecesOfEveryDtypeFromManyThreads_sameBytesAsWholeWrites() throws IOException {
        // tensors larger than the 128 KB a writer holds (several writes each), one smaller, pieces of uneven length
        List<TensorInfo> ts = new ArrayList<>();
        for (DType d : List.of(DType.F32, DType.BF16, DType.F16, DType.F64)) {
            ts.add(new TensorInfo("big." + d, d, Shape.of(3, 100_003)));
            ts.add(new TensorInfo("small." + d, d, Shape.of(77)));
        }
        Path whole = tmp.resolve("whole");
        try (ModelWriter w = ModelWriter.create(whole, ts, 1L << 40, false)) {
            writeAll(w, ts);
            w.commit();
        }
        Path pieces = tmp.resolve("pieces");
        try (ModelWriter w = ModelWriter.create(pieces, ts, 1L << 40, false)) {
            ts.parallelStream().forEach(t -> {
                float[] v = values(t);
                ModelWriter.TensorWriter tw = w.inOrder(t.name());
                Random random = new Random(t.name().hashCode());
                for (int from = 0; from < v.length; ) {
                    int n = Math.min(v.length - from, 1 + random.nextInt(70_000));
                    tw.write(from, v, from, n);
                    from += n;
                }
            });
            w.commit();
        }
        assertArrayEquals(Files.readAllBytes(whole.resolve("model.safetensors")),
                Files.readAllBytes(pieces.resolve("model.safetensors")));
    }

    @Test
    void inOrder_pieceOutOfOrder_refusedAndNothingWritten() throws IOException {
        List<TensorInfo> ts = List.of(f32("w", 10));
        try (ModelWriter w = ModelWriter.create(tmp.resolve("out"), ts, 1L << 40, false)) {
            ModelWriter.TensorWriter tw = w.inOrder("w");
            float[] v = values(ts.get(0));
            var e = assertThrows(IllegalArgumentException.class, () -> tw.write(5, v, 5, 5));
            assertEquals("elements [5, 10) of tensor 'w' of 10: element 0 must come next", e.getMessage());
            tw.write(0, v, 0, 4);
            // the first four are still buffered: the tensor is incomplete
            assertThrows(IllegalStateException.class, w::commit);
        }
    }

    @Test
    void durable_shardsLargerThanTheBackgroundFlushStep_flushedWhileWritingAndReadBackExactly() throws IOException {
        // two shards of 160 MB: each crosses the background flush step several times, from two threads
        List<TensorInfo> ts = List.of(f32("a", 40_000_000), f32("b", 40_000_000));
        Path out = tmp.resolve("big");
        float[] chunk = new float[1 << 20];
        try (ModelWriter w = ModelWriter.create(out, ts, 200_000_000L, false).durable()) {
            ts.parallelStream().forEach(t -> {
                for (int from = 0; from < t.numel(); from += chunk.length) {
                    int n = (int) Math.min(chunk.length, t.numel() - from);
                    float[] v = new float[n];
                    for (int i = 0; i < n; i++) {
                        v[i] = from + i + (t.name().equals("a") ? 0.5f : 0.25f);
                    }
                    w.writeFloats(t.name(), from, v, 0, n);
                }
            });
            w.commit();
        }
        try (SafetensorsModel m = SafetensorsModel.open(out)) {
            for (TensorInfo t : ts) {
                float offset = t.name().equals("a") ? 0.5f : 0.25f;
                float[] v = m.floats(t.name());
                for (int i : new int[] {0, 1, 33_554_431, 33_554_432, 39_999_999}) {
                    assertEquals(i + offset, v[i], 0f, t.name() + "[" + i + "]");
                }
            }
        }
    }

    private static String sha256(Path file) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(Files.readAllBytes(file)));
    }

    @Test
    void digestingShards_piecesInAnyOrderFromManyThreads_giveEachCommittedShardsSha256() throws Exception {
        // three shards; tensors of several hash steps (8 MB) written back to front in pieces, small ones, an empty one
        List<TensorInfo> ts = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            ts.add(new TensorInfo("layers." + i + ".big", DType.BF16, Shape.of(3, 1_500_000 + i)));
            ts.add(new TensorInfo("layers." + i + ".norm", DType.F32, Shape.of(100 + i)));
        }
        ts.add(new TensorInfo("empty", DType.F32, Shape.of(0)));
        Path out = tmp.resolve("out");
        Map<String, String> digests;
        try (ModelWriter w = ModelWriter.create(out, ts, 20_000_000L, false).digestingShards(2)) {
            assertTrue(w.digestsShards());
            assertThrows(IllegalStateException.class, w::shardSha256, "not before the commit");
            List<TensorInfo> shuffled = new ArrayList<>(ts);
            Collections.shuffle(shuffled, new Random(5));
            shuffled.parallelStream().forEach(t -> {
                float[] v = values(t);
                int third = v.length / 3;
                w.writeFloats(t.name(), 2L * third, v, 2 * third, v.length - 2 * third);
                w.writeFloats(t.name(), 0, v, 0, third);
                w.writeFloats(t.name(), third, v, third, third);
            });
            w.commit();
            digests = w.shardSha256();
        }
        List<String> shards = list(out).stream().filter(f -> f.endsWith(".safetensors")).toList();
        assertEquals(3, shards.size(), shards.toString());
        assertEquals(shards, List.copyOf(digests.keySet()));
        for (String f : shards) {
            assertEquals(sha256(out.resolve(f)), digests.get(f), f);
        }
    }

    @Test
    void digestingShards_inFileOrderAsAMergeWrites_matchesAndAWriterWithoutItHasNone() throws Exception {
        List<TensorInfo> ts = List.of(new TensorInfo("b", DType.BF16, Shape.of(5_000_001)),
                new TensorInfo("a", DType.F16, Shape.of(4_000_000)));
        Path out = tmp.resolve("out");
        try (ModelWriter w = ModelWriter.create(out, ts, 1L << 40, false).digestingShards(4)) {
            List<String> order = new ArrayList<>(List.of("b", "a"));
            order.sort(w.fileOrder());
            for (String name : order) {
                TensorInfo t = ts.stream().filter(x -> x.name().equals(name)).findFirst().orElseThrow();
                float[] v = values(t);
                ModelWriter.TensorWriter tw = w.inOrder(name);
                for (int from = 0; from < v.length; from += 50_000) {
                    tw.write(from, v, from, Math.min(50_000, v.length - from));
                }
            }
            w.commit();
            assertEquals(Map.of("model.safetensors", sha256(out.resolve("model.safetensors"))), w.shardSha256());
        }
        Path plain = tmp.resolve("plain");
        try (ModelWriter w = ModelWriter.create(plain, ts, 1L << 40, false)) {
            writeAll(w, ts);
            w.commit();
            assertFalse(w.digestsShards());
            assertEquals(Map.of(), w.shardSha256());
        }
    }

    @Test
    void digestingShards_writerClosedUncommitted_stopsWaitingAndLeavesNothing() throws IOException {
        List<TensorInfo> ts = List.of(f32("a", 3_000_000), f32("b", 3_000_000), f32("c", 10));
        Path out = tmp.resolve("out");
        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(30), () -> {
            for (int round = 0; round < 3; round++) {
                try (ModelWriter w = ModelWriter.create(out, ts, 12_000_100L, false).digestingShards(2)) {
                    float[] v = values(ts.get(0));
                    w.writeFloats("a", 0, v, 0, v.length);
                    // "b" and "c" never come: the digests wait until the writer closes
                }
            }
        });
        assertEquals(List.of(), list(tmp), "nothing half-written is left");
    }

    @Test
    void commit_missingTensor_refusedAndCloseRemovesStaging() throws IOException {
        List<TensorInfo> ts = List.of(f32("a", 2), f32("b", 2));
        Path out = tmp.resolve("out");
        try (ModelWriter w = ModelWriter.create(out, ts, 1000, false)) {
            w.writeFloats("a", 0, new float[2], 0, 2);
            assertThrows(IllegalStateException.class, w::commit);
        }
        assertEquals(List.of(), list(tmp), "nothing half-written is left");
    }

    @Test
    void create_existingNonEmptyOutput_refusedUnlessOverwrite() throws IOException {
        Path out = tmp.resolve("out");
        Files.createDirectories(out);
        Files.writeString(out.resolve("keep.txt"), "old");
        var e = assertThrows(InputException.class, () -> ModelWriter.create(out, List.of(f32("a", 1)), 10, false));
        assertEquals(out + ": output directory exists and is not empty; choose another directory, or pass"
                + " --overwrite (Maven: -Devomerge.overwrite=true)", e.userMessage());
        assertTrue(Files.exists(out.resolve("keep.txt")));
        try (ModelWriter w = ModelWriter.create(out, List.of(f32("a", 1)), 10, true)) {
            w.writeFloats("a", 0, new float[] {7}, 0, 1);
            w.staging().writeFile("config.json", "{}".getBytes(StandardCharsets.UTF_8));
            w.commit();
        }
        assertEquals(List.of("config.json", "model.safetensors"), list(out));
        assertEquals(List.of("out"), list(tmp));
    }

    @Test
    void writeAll_inMemorySource_roundTripsEveryDtype() throws IOException {
        InMemoryTensors src = new InMemoryTensors();
        for (DType t : new DType[] {DType.F32, DType.F16, DType.BF16, DType.F64}) {
            src.putFloats("w_" + t, t, Shape.of(2, 2), new float[] {1, -0.5f, 3.25f, 1e-3f});
        }
        src.put(new TensorInfo("ids", DType.I64, Shape.of(2)), java.lang.foreign.MemorySegment.ofArray(
                new long[] {1, -2}));
        Path out = tmp.resolve("m");
        ModelWriter.writeAll(out, src, List.copyOf(src.names()), 1L << 30, false, Map.of());
        try (SafetensorsModel m = SafetensorsModel.open(out)) {
            for (String n : src.names()) {
                assertEquals(src.info(n), m.info(n));
                assertTrue(m.bytes(n).mismatch(src.bytes(n)) == -1, n);
            }
        }
    }

    private static List<String> list(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void create_outputIsAFile_refused() throws IOException {
        Path f = Files.writeString(tmp.resolve("file"), "x");
        var e = assertThrows(InputException.class, () -> ModelWriter.create(f, List.of(f32("a", 1)), 10, true));
        assertFalse(e.userMessage().isEmpty());
        assertEquals(f + ": output exists and is not a directory; choose another output directory", e.userMessage());
    }
}
