package dev.evomerge.search;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.evomerge.io.AtomicFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A state tree on disk in a compact binary form: an 8-byte magic {@code EVOSTAT1}, the header's length (8 bytes,
 * little-endian), the header (the tree as UTF-8 JSON, with every {@link DoubleArrayNode} replaced by
 * {@code {"$f64": [offset, length]}}), zero padding to a multiple of 8 bytes, then the packed arrays one after the
 * other as little-endian doubles ({@code offset} counts doubles from there). A full CMA-ES at 4,400 genes is about
 * 156 MB this way (two triangles of 4,400 x 4,400) instead of about 0.8 GB of JSON text built as one string.
 *
 * <p>{@link #write} streams through a 1 MiB buffer into a sibling temporary file, forces it to disk and renames it
 * over the target, so a kill at any moment leaves the old file or the new one. Stateless.
 */
public final class StateFile {

    private static final byte[] MAGIC = "EVOSTAT1".getBytes(StandardCharsets.US_ASCII);
    private static final String PACKED = "$f64";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int BUFFER = 1 << 20;

    private StateFile() {
    }

    /** Writes {@code tree} to {@code target} atomically. */
    public static void write(Path target, JsonNode tree) throws IOException {
        List<DoubleArrayNode> packed = new ArrayList<>();
        JsonNode header = placeholders(tree, packed, new long[1]);
        byte[] text = JSON.writeValueAsBytes(header);
        AtomicFile.write(target, channel -> {
            ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER).order(ByteOrder.LITTLE_ENDIAN);
            buffer.put(MAGIC).putLong(text.length);
            drain(buffer, channel);
            ByteBuffer headerText = ByteBuffer.wrap(text);
            while (headerText.hasRemaining()) {
                channel.write(headerText);
            }
            buffer.put(new byte[(int) ((8 - (16 + text.length) % 8) % 8)]);
            for (DoubleArrayNode node : packed) {
                double[] values = node.unshared();
                for (int i = 0; i < values.length;) {
                    if (buffer.remaining() < 8) {
                        drain(buffer, channel);
                    }
                    int n = Math.min(buffer.remaining() / 8, values.length - i);
                    DoubleBuffer view = buffer.asDoubleBuffer();
                    view.put(values, i, n);
                    buffer.position(buffer.position() + n * 8);
                    i += n;
                }
            }
            drain(buffer, channel);
        });
    }

    /** Whether {@code file} starts with this format's magic. */
    public static boolean isStateFile(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer head = ByteBuffer.allocate(MAGIC.length);
            channel.read(head, 0);
            return java.util.Arrays.equals(head.array(), MAGIC);
        }
    }

    /**
     * Reads a tree {@link #write} wrote.
     *
     * @throws IOException when the file cannot be read or is not in this format
     */
    public static JsonNode read(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            ByteBuffer head = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
            readFully(channel, head, 0);
            byte[] magic = new byte[MAGIC.length];
            head.flip();
            head.get(magic);
            long length = head.getLong();
            if (!java.util.Arrays.equals(magic, MAGIC) || length < 0 || 16 + length > size) {
                throw new IOException("not an evomerge state file");
            }
            ByteBuffer text = ByteBuffer.allocate((int) length);
            readFully(channel, text, 16);
            JsonNode header = JSON.readTree(text.array());
            long data = 16 + length + (8 - (16 + length) % 8) % 8;
            DoubleBuffer doubles = channel.map(FileChannel.MapMode.READ_ONLY, data, size - data)
                    .order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer();
            return restore(header, doubles);
        }
    }

    private static void drain(ByteBuffer buffer, FileChannel channel) throws IOException {
        buffer.flip();
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
        buffer.clear();
    }

    private static void readFully(FileChannel channel, ByteBuffer into, long position) throws IOException {
        long at = position;
        while (into.hasRemaining()) {
            int n = channel.read(into, at);
            if (n < 0) {
                throw new IOException("the state file ends early");
            }
            at += n;
        }
    }

    private static JsonNode placeholders(JsonNode node, List<DoubleArrayNode> packed, long[] offset) {
        if (node instanceof DoubleArrayNode d) {
            packed.add(d);
            ObjectNode p = JsonNodeFactory.instance.objectNode();
            p.putArray(PACKED).add(offset[0]).add(d.length());
            offset[0] += d.length();
            return p;
        }
        if (node.isObject()) {
            ObjectNode o = JsonNodeFactory.instance.objectNode();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                o.set(e.getKey(), placeholders(e.getValue(), packed, offset));
            }
            return o;
        }
        if (node.isArray()) {
            ArrayNode a = JsonNodeFactory.instance.arrayNode(node.size());
            for (JsonNode e : node) {
                a.add(placeholders(e, packed, offset));
            }
            return a;
        }
        return node;
    }

    private static JsonNode restore(JsonNode node, DoubleBuffer doubles) throws IOException {
        if (node.isObject() && node.size() == 1 && node.has(PACKED)) {
            long offset = node.get(PACKED).get(0).asLong();
            int length = node.get(PACKED).get(1).asInt();
            if (offset < 0 || length < 0 || offset + length > doubles.capacity()) {
                throw new IOException("a packed array lies outside the state file");
            }
            double[] values = new double[length];
            doubles.get((int) offset, values);
            return DoubleArrayNode.wrap(values);
        }
        if (node.isObject()) {
            ObjectNode o = (ObjectNode) node;
            List<String> names = new ArrayList<>();
            o.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                o.set(name, restore(o.get(name), doubles));
            }
            return o;
        }
        if (node.isArray()) {
            ArrayNode a = (ArrayNode) node;
            for (int i = 0; i < a.size(); i++) {
                a.set(i, restore(a.get(i), doubles));
            }
            return a;
        }
        return node;
    }
}
