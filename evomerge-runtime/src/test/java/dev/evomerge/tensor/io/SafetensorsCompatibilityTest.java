package dev.evomerge.tensor.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.evomerge.tensor.DType;
import dev.evomerge.tensor.Shape;
import dev.evomerge.tensor.TensorInfo;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Both directions against the reference Python {@code safetensors} library, through fixtures made by
 * {@code src/test/reference/safetensors/make_fixtures.py}.
 */
class SafetensorsCompatibilityTest {

    private static final Path FIXTURES = Path.of("src/test/resources/safetensors");
    private static final float[] FLOATS = {0f, -0f, 1f, -2.5f, 65504f, 1e-3f, Float.POSITIVE_INFINITY,
            Float.NEGATIVE_INFINITY, 3.140625f, 0.1f};

    @TempDir
    Path tmp;

    @Test
    void read_filesWrittenByPythonSafetensors_everyDtypeExact() throws IOException {
        JsonNode expected = new ObjectMapper().readTree(FIXTURES.resolve("python-written.expected.json").toFile());
        try (SafetensorsModel m = SafetensorsModel.open(FIXTURES.resolve("python-written.safetensors"))) {
            assertEquals(expected.size(), m.names().size());
            for (var e : expected.properties()) {
                String name = e.getKey();
                JsonNode want = e.getValue();
                TensorInfo info = m.info(name).orElseThrow();
                assertEquals(DType.fromTorchName(want.get("dtype").asText()).orElseThrow(), info.dtype(), name);
                long[] dims = new long[want.get("shape").size()];
                for (int i = 0; i < dims.length; i++) {
                    dims[i] = want.get("shape").get(i).asLong();
                }
                assertEquals(Shape.of(dims), info.shape(), name);
                byte[] bytes = m.bytes(name).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
                assertEquals(want.get("bytes_hex").asText(), HexFormat.of().formatHex(bytes), name);
                if (info.dtype().isFloatingPoint()) {
                    float[] values = m.floats(name);
                    for (int i = 0; i < values.length; i++) {
                        JsonNode v = want.get("values").get(i);
                        if (!v.isNull()) {
                            assertEquals((float) v.asDouble(), values[i], 0f, name + "[" + i + "]");
                        }
                    }
                }
            }
        }
    }

    @Test
    void write_sameSpecAsCheckedByPython_reproducesVerifiedFileByteForByte() throws IOException {
        InMemoryTensors src = new InMemoryTensors();
        src.putFloats("model.f64", DType.F64, Shape.of(2, 5), FLOATS);
        src.putFloats("model.f32", DType.F32, Shape.of(10), FLOATS);
        src.putFloats("model.f16", DType.F16, Shape.of(5, 2), FLOATS);
        src.putFloats("model.bf16", DType.BF16, Shape.of(10), FLOATS);
        src.put(new TensorInfo("model.i64", DType.I64, Shape.of(3)), le(8, Long.MIN_VALUE, Long.MAX_VALUE, -1));
        src.put(new TensorInfo("model.i32", DType.I32, Shape.of(2)), le(4, Integer.MIN_VALUE, 12345));
        src.put(new TensorInfo("model.i16", DType.I16, Shape.of(2)), le(2, -300, 300));
        src.put(new TensorInfo("model.i8", DType.I8, Shape.of(2)), le(1, -7, 7));
        src.put(new TensorInfo("model.u8", DType.U8, Shape.of(2)), le(1, 200, 1));
        src.put(new TensorInfo("model.bool", DType.BOOL, Shape.of(2)), le(1, 0, 1));
        Path out = tmp.resolve("out");
        ModelWriter.writeAll(out, src, List.copyOf(src.names()), 1L << 30, false, Map.of());
        byte[] ours = Files.readAllBytes(out.resolve("model.safetensors"));
        Path committed = FIXTURES.resolve("evomerge-written.safetensors");
        if (Boolean.getBoolean("evomerge.fixtures.regenerate")) {
            Files.write(committed, ours);
        }
        assertArrayEquals(Files.readAllBytes(committed), ours, "the writer's output changed; regenerate and"
                + " re-run make_fixtures.py to check it against the safetensors library");
        JsonNode verdict = new ObjectMapper().readTree(FIXTURES.resolve("evomerge-written.check.json").toFile());
        assertTrue(verdict.get("loads_exactly").asBoolean(), verdict.toString());
        assertTrue(verdict.get("identical_to_library_bytes").asBoolean(), "the library writes the same bytes");
        assertEquals(ours.length, verdict.get("size").asLong(), "the check was made on this very file");
    }

    private static MemorySegment le(int width, long... values) {
        ByteBuffer b = ByteBuffer.allocate(width * values.length).order(ByteOrder.LITTLE_ENDIAN);
        List<Long> list = new ArrayList<>();
        for (long v : values) {
            list.add(v);
            switch (width) {
                case 8 -> b.putLong(v);
                case 4 -> b.putInt((int) v);
                case 2 -> b.putShort((short) v);
                default -> b.put((byte) v);
            }
        }
        return MemorySegment.ofArray(b.array());
    }
}
