package dev.evomerge.tensor.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsModelTest {

    @TempDir
    Path dir;

    /** A file with the given header JSON (length prefix written as declared) and data bytes. */
    static byte[] craft(String headerJson, long declaredLength, byte[] data) {
        byte[] header = headerJson.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + header.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(declaredLength).put(header).put(data);
        return b.array();
    }

    static byte[] craft(String headerJson, byte[] data) {
        return craft(headerJson, headerJson.getBytes(StandardCharsets.UTF_8).length, data);
    }

    private Path write(String name, byte[] bytes) throws IOException {
        Path f = dir.resolve(name);
        Files.write(f, bytes);
        return f;
    }

    private String faultOf(byte[] bytes) throws IOException {
        Path f = write("bad.safetensors", bytes);
        var e = assertThrows(InputException.class, () -> SafetensorsModel.open(f).close());
        assertEquals(f + ": ", e.userMessage().substring(0, f.toString().length() + 2), e.userMessage());
        return e.getMessage();
    }

    @Test
    void open_validFile_readsValuesAndZeroCopyBytes() throws IOException {
        byte[] data = new byte[12];
        ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN).putFloat(1.5f).putFloat(-2f).putShort((short) 0x3f80)
                .putShort((short) 0xc000);
        Path f = write("m.safetensors", craft("{\"__metadata__\":{\"format\":\"pt\"},"
                + "\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"BF16\",\"shape\":[1,2],\"data_offsets\":[8,12]}}", data));
        try (SafetensorsModel m = SafetensorsModel.open(f)) {
            assertEquals(List.of("a", "b"), List.copyOf(m.names()));
            assertEquals(new TensorInfo("b", DType.BF16, Shape.of(1, 2)), m.info("b").orElseThrow());
            assertArrayEquals(new float[] {1.5f, -2f}, m.floats("a"));
            assertArrayEquals(new float[] {1f, -2f}, m.floats("b"));
            assertEquals(4, m.bytes("b").byteSize());
        }
    }

    @Test
    void open_headerLengthBeyondFile_refused() throws IOException {
        assertEquals("not a valid safetensors file: header length 1000 goes beyond the end of the file (10 bytes)",
                faultOf(craft("{}", 1000, new byte[0])));
    }

    @Test
    void open_headerOver100MB_refused() throws IOException {
        assertEquals("not a valid safetensors file: header length 100000001 is over the 100 MB limit",
                faultOf(craft("{}", 100_000_001L, new byte[0])));
    }

    @Test
    void open_tooShort_refused() throws IOException {
        assertEquals("not a valid safetensors file: file is 3 bytes, too short for a safetensors header",
                faultOf(new byte[3]));
    }

    @Test
    void open_invalidUtf8_refused() throws IOException {
        byte[] bytes = craft("{\"a\":1}", new byte[0]);
        bytes[10] = (byte) 0xff;
        assertEquals("not a valid safetensors file: header is not valid UTF-8", faultOf(bytes));
    }

    @Test
    void open_invalidJson_refused() throws IOException {
        String msg = faultOf(craft("{\"a\": [1, 2", new byte[0]));
        assertEquals("not a valid safetensors file: header is not valid JSON",
                msg.substring(0, "not a valid safetensors file: header is not valid JSON".length()));
    }

    @Test
    void open_unknownDtype_refused() throws IOException {
        assertEquals("not a valid safetensors file: tensor 'w' has unknown dtype 'F8_E4M3'",
                faultOf(craft("{\"w\":{\"dtype\":\"F8_E4M3\",\"shape\":[2],\"data_offsets\":[0,2]}}", new byte[2])));
    }

    @Test
    void open_shapeDisagreesWithLength_refused() throws IOException {
        assertEquals("not a valid safetensors file: tensor 'w' has shape [2, 3] of F32 (24 bytes) but data_offsets"
                        + " span 20 bytes",
                faultOf(craft("{\"w\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,20]}}", new byte[20])));
    }

    @Test
    void open_offsetsOutsideData_refused() throws IOException {
        assertEquals("not a valid safetensors file: tensor 'w' has data_offsets [0,8] outside the data (4 bytes)",
                faultOf(craft("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", new byte[4])));
    }

    @Test
    void open_overlappingTensors_refused() throws IOException {
        assertEquals("not a valid safetensors file: tensors 'a' and 'b' overlap in the data",
                faultOf(craft("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                        + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", new byte[8])));
    }

    @Test
    void open_gapBetweenTensors_refused() throws IOException {
        assertEquals("not a valid safetensors file: gap of 4 bytes in the data before tensor 'b'",
                faultOf(craft("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                        + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}}", new byte[12])));
    }

    @Test
    void open_trailingBytes_refused() throws IOException {
        assertEquals("not a valid safetensors file: 4 bytes at the end of the data belong to no tensor",
                faultOf(craft("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", new byte[8])));
    }

    @Test
    void open_duplicateNames_refused() throws IOException {
        String msg = faultOf(craft("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", new byte[8]));
        assertEquals("not a valid safetensors file: header names a tensor twice: 'a'", msg);
    }

    @Test
    void open_metadataNotStrings_refused() throws IOException {
        assertEquals("not a valid safetensors file: __metadata__ value for 'n' is not a string",
                faultOf(craft("{\"__metadata__\":{\"n\":1}}", new byte[0])));
    }

    @Test
    void open_indexNamesMissingShard_refused() throws IOException {
        Files.writeString(dir.resolve(SafetensorsModel.INDEX_FILE),
                "{\"metadata\":{},\"weight_map\":{\"a\":\"model-00001-of-00002.safetensors\"}}");
        var e = assertThrows(InputException.class, () -> SafetensorsModel.open(dir));
        assertEquals(dir.resolve(SafetensorsModel.INDEX_FILE) + ": names shard 'model-00001-of-00002.safetensors'"
                + " (for tensor 'a') which does not exist; download the missing shard", e.userMessage());
    }

    @Test
    void open_indexNamesTensorItsShardLacks_refusedWhenShardIsOpened() throws IOException {
        write("s1.safetensors", craft("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}",
                new byte[4]));
        Files.writeString(dir.resolve(SafetensorsModel.INDEX_FILE),
                "{\"weight_map\":{\"a\":\"s1.safetensors\",\"b\":\"s1.safetensors\"}}");
        try (SafetensorsModel m = SafetensorsModel.open(dir)) {
            var e = assertThrows(InputException.class, () -> m.floats("a"));
            assertEquals("index puts tensor 'b' in 's1.safetensors', which does not have it", e.getMessage());
        }
    }

    @Test
    void open_onlyPickleCheckpoint_refusedWithConversionAdvice() throws IOException {
        Files.write(dir.resolve("pytorch_model.bin"), new byte[] {(byte) 0x80, 2});
        var e = assertThrows(InputException.class, () -> SafetensorsModel.open(dir));
        assertEquals(dir + ": holds only pickle checkpoints (pytorch_model*.bin), which evomerge never unpickles;"
                + " convert the model to safetensors, e.g. load it with transformers and"
                + " save_pretrained(dir, safe_serialization=True)", e.userMessage());
    }

    @Test
    void open_emptyDirectory_refused() {
        var e = assertThrows(InputException.class, () -> SafetensorsModel.open(dir));
        assertEquals(dir + ": holds no safetensors weights (no model.safetensors or model.safetensors.index.json);"
                + " point at a Hugging Face model directory", e.userMessage());
    }
}
