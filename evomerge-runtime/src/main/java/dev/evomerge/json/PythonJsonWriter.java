package dev.evomerge.json;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.Iterator;
import java.util.Map;

/**
 * Writes JSON the way Python's {@code json.dumps(obj, indent=2)} does, so files evomerge writes
 * ({@code config.json}, the shard index) look like the ones transformers and mergekit write: two-space indents,
 * {@code "key": value}, one array element per line, {@code []} and {@code {}} for empty containers, non-ASCII
 * escaped, and floats in Python's {@code repr} form ({@code 1e-06}, {@code 10000.0}).
 *
 * <p>Stateless and thread-safe.
 */
public final class PythonJsonWriter {

    private PythonJsonWriter() {
    }

    /** The JSON text of a tree, without a trailing newline. */
    public static String write(JsonNode node) {
        StringBuilder b = new StringBuilder();
        write(node, b, 0);
        return b.toString();
    }

    private static void write(JsonNode node, StringBuilder b, int depth) {
        switch (node.getNodeType()) {
            case OBJECT -> {
                if (node.isEmpty()) {
                    b.append("{}");
                    return;
                }
                b.append('{');
                Iterator<Map.Entry<String, JsonNode>> it = node.properties().iterator();
                while (it.hasNext()) {
                    var e = it.next();
                    newline(b, depth + 1);
                    b.append(quote(e.getKey())).append(": ");
                    write(e.getValue(), b, depth + 1);
                    if (it.hasNext()) {
                        b.append(',');
                    }
                }
                newline(b, depth);
                b.append('}');
            }
            case ARRAY -> {
                if (node.isEmpty()) {
                    b.append("[]");
                    return;
                }
                b.append('[');
                for (int i = 0; i < node.size(); i++) {
                    newline(b, depth + 1);
                    write(node.get(i), b, depth + 1);
                    if (i + 1 < node.size()) {
                        b.append(',');
                    }
                }
                newline(b, depth);
                b.append(']');
            }
            case STRING -> b.append(quote(node.textValue()));
            case BOOLEAN -> b.append(node.booleanValue() ? "true" : "false");
            case NULL, MISSING -> b.append("null");
            case NUMBER -> b.append(node.isIntegralNumber() ? node.bigIntegerValue().toString()
                    : floatRepr(node.doubleValue()));
            default -> throw new IllegalArgumentException("cannot write JSON node " + node.getNodeType());
        }
    }

    private static void newline(StringBuilder b, int depth) {
        b.append('\n');
        b.append("  ".repeat(depth));
    }

    /** A JSON string literal with everything outside printable ASCII escaped, as Python's ensure_ascii does. */
    public static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        String escaped = new String(JsonStringEncoder.getInstance().quoteAsString(s));
        for (int i = 0; i < escaped.length(); i++) {
            char c = escaped.charAt(i);
            if (c > 0x7e) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }

    /** Python's {@code repr(float)}: shortest round-trip digits, exponent form below 1e-4 and from 1e16. */
    public static String floatRepr(double d) {
        if (Double.isNaN(d)) {
            return "NaN";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "Infinity" : "-Infinity";
        }
        if (d == 0) {
            return (1 / d < 0) ? "-0.0" : "0.0";
        }
        BigDecimal shortest = new BigDecimal(Double.toString(Math.abs(d))).stripTrailingZeros();
        String digits = shortest.unscaledValue().toString();
        int exponent = digits.length() - 1 - shortest.scale();
        String sign = d < 0 ? "-" : "";
        if (exponent < -4 || exponent >= 16) {
            String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
            return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + String.format("%02d", Math.abs(exponent));
        }
        String plain = shortest.toPlainString();
        return sign + (plain.contains(".") ? plain : plain + ".0");
    }
}
