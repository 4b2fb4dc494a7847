package dev.evomerge.search;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import com.fasterxml.jackson.databind.node.ValueNode;
import java.io.IOException;
import java.util.Arrays;

/**
 * A long array of doubles inside an optimizer state tree, held as one {@code double[]} instead of a node per number
 * (a full CMA-ES at 4,400 genes has two triangles of 9.7 million numbers). It serialises as the JSON array
 * {@link StateJson} would write (non-finite values as the strings {@code "NaN"}, {@code "Infinity"},
 * {@code "-Infinity"}), and {@link StateFile} stores it as raw little-endian doubles. Immutable (the array is
 * copied in and out).
 */
public final class DoubleArrayNode extends ValueNode {

    private final double[] values;

    DoubleArrayNode(double[] values) {
        this.values = values;
    }

    /** A node holding a copy of {@code values}. */
    public static DoubleArrayNode of(double[] values) {
        return new DoubleArrayNode(values.clone());
    }

    /** A node taking {@code values} over (the caller keeps no reference). */
    public static DoubleArrayNode wrap(double[] values) {
        return new DoubleArrayNode(values);
    }

    /** The values, copied. */
    public double[] toArray() {
        return values.clone();
    }

    /** The values themselves (not a copy), for {@link StateFile} to write; not to be modified. */
    double[] unshared() {
        return values;
    }

    /** The number of values. */
    public int length() {
        return values.length;
    }

    @Override
    public JsonNodeType getNodeType() {
        return JsonNodeType.POJO;
    }

    @Override
    public JsonToken asToken() {
        return JsonToken.VALUE_EMBEDDED_OBJECT;
    }

    @Override
    public String asText() {
        return "";
    }

    @Override
    public void serialize(JsonGenerator g, SerializerProvider provider) throws IOException {
        g.writeStartArray(values, values.length);
        for (double v : values) {
            if (Double.isFinite(v)) {
                g.writeNumber(v);
            } else {
                g.writeString(Double.toString(v));
            }
        }
        g.writeEndArray();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DoubleArrayNode other && Arrays.equals(values, other.values);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(values);
    }
}
