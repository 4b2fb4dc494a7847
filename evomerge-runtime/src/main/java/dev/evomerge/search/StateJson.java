package dev.evomerge.search;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.evomerge.diag.RunException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Reading and writing optimizer state as Jackson trees, exactly. Finite doubles are JSON numbers in their shortest
 * round-tripping form ({@link Double#toString(double)}), so they read back bit for bit; non-finite ones are the
 * strings {@code "NaN"}, {@code "Infinity"} and {@code "-Infinity"}. A missing or mistyped field fails with a
 * {@link RunException} that names it.
 *
 * <p>Stateless and thread-safe.
 */
public final class StateJson {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String DAMAGED = "the checkpoint is damaged or was written by another evomerge version;"
            + " start the search again without resuming";

    private StateJson() {
    }

    /** A new empty object node. */
    public static ObjectNode object() {
        return NODES.objectNode();
    }

    /** A new empty array node. */
    public static ArrayNode array() {
        return NODES.arrayNode();
    }

    /** The state's header: {@code {"optimizer": kind, "version": version}}, to which an optimizer adds its fields. */
    public static ObjectNode header(String kind, int version) {
        ObjectNode node = object();
        node.put("optimizer", kind);
        node.put("version", version);
        return node;
    }

    /** Checks that {@code state} is an object written by optimizer {@code kind} in state format {@code version}. */
    public static void requireHeader(JsonNode state, String kind, int version) {
        if (state == null || !state.isObject()) {
            throw damaged("the optimizer state is not a JSON object");
        }
        String found = text(state, "optimizer");
        if (!found.equals(kind)) {
            throw new RunException("the optimizer state is for '" + found + "', not '" + kind + "'",
                    "resume with the optimizer the run was started with, or start again without resuming");
        }
        int v = integer(state, "version");
        if (v != version) {
            throw new RunException("the " + kind + " state has format version " + v + ", this evomerge reads "
                    + version, DAMAGED);
        }
    }

    /** A double as a JSON value: a number when finite, otherwise its name as a string. */
    public static JsonNode number(double value) {
        return Double.isFinite(value) ? NODES.numberNode(value) : NODES.textNode(Double.toString(value));
    }

    /** Arrays of at least this many doubles are held as one {@link DoubleArrayNode}. */
    public static final int PACKED_LENGTH = 64;

    /** Doubles as a JSON value: an array node, or a {@link DoubleArrayNode} when long. */
    public static JsonNode doubles(double[] values) {
        if (values.length >= PACKED_LENGTH) {
            return DoubleArrayNode.of(values);
        }
        ArrayNode a = array();
        for (double v : values) {
            a.add(number(v));
        }
        return a;
    }

    public static ArrayNode matrix(double[][] rows) {
        ArrayNode a = array();
        for (double[] row : rows) {
            a.add(doubles(row));
        }
        return a;
    }

    public static ArrayNode longs(long[] values) {
        ArrayNode a = array();
        for (long v : values) {
            a.add(v);
        }
        return a;
    }

    public static ObjectNode bounds(Bounds bounds) {
        ObjectNode node = object();
        node.set("lower", doubles(bounds.lower()));
        node.set("upper", doubles(bounds.upper()));
        return node;
    }

    public static ArrayNode directions(List<Direction> directions) {
        ArrayNode a = array();
        for (Direction d : directions) {
            a.add(d.key());
        }
        return a;
    }

    public static ObjectNode solution(Solution s) {
        ObjectNode node = object();
        node.set("genome", doubles(s.genome()));
        node.set("score", doubles(s.score()));
        node.put("generation", s.generation());
        return node;
    }

    /** The field {@code name} of {@code parent}, which must be present and not null. */
    public static JsonNode field(JsonNode parent, String name) {
        JsonNode node = parent.get(name);
        if (node == null || node.isNull()) {
            throw damaged("the optimizer state has no field '" + name + "'");
        }
        return node;
    }

    /** Whether {@code parent} has a non-null field {@code name}. */
    public static boolean has(JsonNode parent, String name) {
        JsonNode node = parent.get(name);
        return node != null && !node.isNull();
    }

    public static String text(JsonNode parent, String name) {
        return field(parent, name, JsonNode::isTextual, "a string").textValue();
    }

    public static long longValue(JsonNode parent, String name) {
        return field(parent, name, n -> n.isIntegralNumber() && n.canConvertToLong(), "an integer").longValue();
    }

    public static int integer(JsonNode parent, String name) {
        return field(parent, name, n -> n.isIntegralNumber() && n.canConvertToInt(), "an int").intValue();
    }

    public static boolean bool(JsonNode parent, String name) {
        return field(parent, name, JsonNode::isBoolean, "a boolean").booleanValue();
    }

    public static double doubleValue(JsonNode parent, String name) {
        return toDouble(field(parent, name), name);
    }

    /** An array of doubles; {@code length} is the required length, or -1 for any. */
    public static double[] doubles(JsonNode parent, String name, int length) {
        return toDoubles(field(parent, name), name, length);
    }

    public static double[][] matrix(JsonNode parent, String name, int rows, int columns) {
        JsonNode node = field(parent, name);
        if (!node.isArray() || (rows >= 0 && node.size() != rows)) {
            throw damaged("field '" + name + "' of the optimizer state is not an array of " + rows + " rows");
        }
        double[][] m = new double[node.size()][];
        for (int i = 0; i < m.length; i++) {
            m[i] = toDoubles(node.get(i), name + "[" + i + "]", columns);
        }
        return m;
    }

    public static long[] longs(JsonNode parent, String name, int length) {
        JsonNode node = field(parent, name);
        if (!node.isArray() || (length >= 0 && node.size() != length)) {
            throw damaged("field '" + name + "' of the optimizer state is not an array of " + length + " integers");
        }
        long[] values = new long[node.size()];
        for (int i = 0; i < values.length; i++) {
            JsonNode v = node.get(i);
            if (!v.isIntegralNumber() || !v.canConvertToLong()) {
                throw damaged("field '" + name + "[" + i + "]' of the optimizer state is not an integer");
            }
            values[i] = v.longValue();
        }
        return values;
    }

    public static Bounds bounds(JsonNode parent, String name) {
        JsonNode node = field(parent, name);
        try {
            return new Bounds(doubles(node, "lower", -1), doubles(node, "upper", -1));
        } catch (IllegalArgumentException e) {
            throw damaged("field '" + name + "' of the optimizer state holds invalid bounds: " + e.getMessage());
        }
    }

    public static List<Direction> directions(JsonNode parent, String name) {
        JsonNode node = field(parent, name);
        if (!node.isArray() || node.isEmpty()) {
            throw damaged("field '" + name + "' of the optimizer state is not a list of directions");
        }
        List<Direction> out = new ArrayList<>();
        for (JsonNode d : node) {
            try {
                out.add(Direction.ofKey(d.asText()));
            } catch (IllegalArgumentException e) {
                throw damaged("field '" + name + "' of the optimizer state: " + e.getMessage());
            }
        }
        return List.copyOf(out);
    }

    public static Solution solution(JsonNode parent, String name, int dimension, int objectives) {
        JsonNode node = field(parent, name);
        return toSolution(node, dimension, objectives);
    }

    public static Solution toSolution(JsonNode node, int dimension, int objectives) {
        return new Solution(doubles(node, "genome", dimension), doubles(node, "score", objectives),
                longValue(node, "generation"));
    }

    /** Compact JSON text of a state tree. */
    public static String write(JsonNode state) {
        try {
            return new ObjectMapper().writeValueAsString(state);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree failed to serialise", e);
        }
    }

    /** Parses JSON text into a tree; a syntax error fails with a {@link RunException}. */
    public static JsonNode parse(String json) {
        try {
            return new ObjectMapper().readTree(json);
        } catch (JsonProcessingException e) {
            throw new RunException("the optimizer state is not valid JSON: " + e.getOriginalMessage(), DAMAGED, e);
        }
    }

    /** A {@link RunException} for a state that does not read back. */
    public static RunException damaged(String what) {
        return new RunException(what, DAMAGED);
    }

    /** The field {@code name} of {@code parent}, present and of the kind {@code is} accepts ({@code what}). */
    private static JsonNode field(JsonNode parent, String name, Predicate<JsonNode> is, String what) {
        JsonNode node = field(parent, name);
        if (!is.test(node)) {
            throw damaged("field '" + name + "' of the optimizer state is not " + what);
        }
        return node;
    }

    private static double toDouble(JsonNode node, String name) {
        if (node.isNumber()) {
            return node.doubleValue();
        }
        if (node.isTextual()) {
            switch (node.textValue()) {
                case "NaN" -> {
                    return Double.NaN;
                }
                case "Infinity" -> {
                    return Double.POSITIVE_INFINITY;
                }
                case "-Infinity" -> {
                    return Double.NEGATIVE_INFINITY;
                }
                default -> {
                }
            }
        }
        throw damaged("field '" + name + "' of the optimizer state is not a number");
    }

    /** The array {@code node} as doubles; {@code name} names it in errors; {@code length} as in {@link #doubles}. */
    public static double[] toDoubles(JsonNode node, String name, int length) {
        if (node instanceof DoubleArrayNode packed) {
            if (length >= 0 && packed.length() != length) {
                throw damaged("field '" + name + "' of the optimizer state is not an array of " + length
                        + " numbers");
            }
            return packed.toArray();
        }
        if (!node.isArray() || (length >= 0 && node.size() != length)) {
            throw damaged("field '" + name + "' of the optimizer state is not an array of "
                    + (length >= 0 ? length + " " : "") + "numbers");
        }
        double[] values = new double[node.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = toDouble(node.get(i), name + "[" + i + "]");
        }
        return values;
    }
}
