package dev.evomerge.tensor.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.evomerge.diag.InputException;
import dev.evomerge.json.JsonTrees;
import dev.evomerge.tensor.DType;
import dev.evomerge.tensor.Shape;
import dev.evomerge.tensor.TensorInfo;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SequencedMap;

/**
 * The header of a safetensors file: an 8-byte little-endian length, then that many bytes of JSON naming each
 * tensor's dtype, shape and byte range in the data that follows. {@link #parse} checks everything the format
 * promises and names the file and the fault in one message when something is wrong.
 *
 * @param entries the tensors in header order, each with its byte range relative to the data start
 * @param metadata the {@code __metadata__} map (empty if absent)
 * @param dataOffset where the data starts in the file: 8 + the header length
 */
public record SafetensorsHeader(SequencedMap<String, Entry> entries, Map<String, String> metadata, long dataOffset) {

    /** Largest header we accept: the reference implementation's limit (10⁸ bytes). */
    public static final long MAX_HEADER_BYTES = 100_000_000L;

    /**
     * A tensor's description and its byte range {@code [begin, end)} relative to the start of the data.
     */
    public record Entry(TensorInfo info, long begin, long end) {
    }

    public SafetensorsHeader {
        entries = java.util.Collections.unmodifiableSequencedMap(new LinkedHashMap<>(entries));
        metadata = Map.copyOf(metadata);
    }

    /** Reads the header length from the first 8 bytes and checks it against the file size. */
    public static long headerLength(Path file, ByteBuffer first8, long fileSize) {
        if (fileSize < 8) {
            throw fault(file, "file is " + fileSize + " bytes, too short for a safetensors header");
        }
        long n = first8.order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong(0);
        if (n < 0 || n > MAX_HEADER_BYTES) {
            throw fault(file, "header length " + Long.toUnsignedString(n) + " is over the 100 MB limit");
        }
        if (8 + n > fileSize) {
            throw fault(file, "header length " + n + " goes beyond the end of the file (" + fileSize + " bytes)");
        }
        return n;
    }

    /**
     * Parses and validates the header JSON.
     *
     * @param file the file, for messages
     * @param headerBytes the JSON bytes (without the 8-byte length)
     * @param dataSize the number of bytes after the header
     */
    public static SafetensorsHeader parse(Path file, ByteBuffer headerBytes, long dataSize) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(headerBytes).toString();
        } catch (CharacterCodingException e) {
            throw fault(file, "header is not valid UTF-8");
        }
        JsonNode root;
        try {
            root = JsonTrees.STRICT.read(text);
        } catch (JsonProcessingException e) {
            String msg = e.getOriginalMessage();
            if (msg != null && msg.startsWith("Duplicate field")) {
                throw fault(file, "header names a tensor twice: " + msg.replace("Duplicate field ", ""));
            }
            throw fault(file, "header is not valid JSON: " + oneLine(msg));
        }
        if (!(root instanceof ObjectNode obj)) {
            throw fault(file, "header is not a JSON object");
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        List<Entry> entries = new ArrayList<>();
        for (var field : obj.properties()) {
            String name = field.getKey();
            JsonNode value = field.getValue();
            if (name.equals("__metadata__")) {
                readMetadata(file, value, metadata);
            } else {
                entries.add(readEntry(file, name, value, dataSize));
            }
        }
        checkLayout(file, entries, dataSize);
        SequencedMap<String, Entry> byName = new LinkedHashMap<>();
        for (Entry e : entries) {
            byName.put(e.info().name(), e);
        }
        return new SafetensorsHeader(byName, metadata, 8 + headerBytes.capacity());
    }

    private static void readMetadata(Path file, JsonNode value, Map<String, String> into) {
        if (!value.isObject()) {
            throw fault(file, "__metadata__ is not a JSON object of strings");
        }
        for (var m : value.properties()) {
            if (!m.getValue().isTextual()) {
                throw fault(file, "__metadata__ value for '" + m.getKey() + "' is not a string");
            }
            into.put(m.getKey(), m.getValue().textValue());
        }
    }

    private static Entry readEntry(Path file, String name, JsonNode value, long dataSize) {
        if (!value.isObject()) {
            throw fault(file, "tensor '" + name + "' is not described by a JSON object");
        }
        JsonNode dtypeNode = value.get("dtype");
        if (dtypeNode == null || !dtypeNode.isTextual()) {
            throw fault(file, "tensor '" + name + "' has no dtype");
        }
        DType dtype = DType.fromSafetensorsName(dtypeNode.textValue()).orElseThrow(() -> fault(file,
                "tensor '" + name + "' has unknown dtype '" + dtypeNode.textValue() + "'"));
        JsonNode shapeNode = value.get("shape");
        if (shapeNode == null || !shapeNode.isArray()) {
            throw fault(file, "tensor '" + name + "' has no shape list");
        }
        long[] dims = new long[shapeNode.size()];
        for (int i = 0; i < dims.length; i++) {
            JsonNode d = shapeNode.get(i);
            if (!d.canConvertToLong() || !d.isIntegralNumber() || d.longValue() < 0) {
                throw fault(file, "tensor '" + name + "' has a bad shape " + shapeNode);
            }
            dims[i] = d.longValue();
        }
        JsonNode offsets = value.get("data_offsets");
        if (offsets == null || !offsets.isArray() || offsets.size() != 2 || !offsets.get(0).isIntegralNumber()
                || !offsets.get(1).isIntegralNumber() || !offsets.get(0).canConvertToLong()
                || !offsets.get(1).canConvertToLong()) {
            throw fault(file, "tensor '" + name + "' needs data_offsets [begin, end]");
        }
        long begin = offsets.get(0).longValue();
        long end = offsets.get(1).longValue();
        if (begin < 0 || end < begin) {
            throw fault(file, "tensor '" + name + "' has data_offsets " + offsets + " with end before begin");
        }
        if (end > dataSize) {
            throw fault(file, "tensor '" + name + "' has data_offsets " + offsets + " outside the data ("
                    + dataSize + " bytes)");
        }
        Shape shape = Shape.of(dims);
        TensorInfo info = new TensorInfo(name, dtype, shape);
        long expected;
        try {
            expected = info.byteSize();
        } catch (ArithmeticException e) {
            throw fault(file, "tensor '" + name + "' has a shape too large: " + shape);
        }
        if (expected != end - begin) {
            throw fault(file, "tensor '" + name + "' has shape " + shape + " of " + dtype + " (" + expected
                    + " bytes) but data_offsets span " + (end - begin) + " bytes");
        }
        return new Entry(info, begin, end);
    }

    /** Tensors must tile the data exactly: no overlap, no gap, nothing left over. */
    private static void checkLayout(Path file, List<Entry> entries, long dataSize) {
        List<Entry> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        long expected = 0;
        Entry previous = null;
        for (Entry e : sorted) {
            if (e.begin() < expected) {
                throw fault(file, "tensors '" + previous.info().name() + "' and '" + e.info().name()
                        + "' overlap in the data");
            }
            if (e.begin() > expected) {
                throw fault(file, "gap of " + (e.begin() - expected) + " bytes in the data before tensor '"
                        + e.info().name() + "'");
            }
            expected = e.end();
            previous = e;
        }
        if (expected != dataSize) {
            throw fault(file, (dataSize - expected) + " bytes at the end of the data belong to no tensor");
        }
    }

    private static InputException fault(Path file, String what) {
        return new InputException(file, "not a valid safetensors file: " + what,
                "re-export the model with safetensors");
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s+", " ").strip();
    }
}
