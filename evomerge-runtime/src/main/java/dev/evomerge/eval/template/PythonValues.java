package dev.evomerge.eval.template;

import dev.evomerge.json.PythonJsonWriter;
import java.math.BigDecimal;
import java.util.Collection;
import java.util.Iterator;
import java.util.Map;

/**
 * Python's {@code str()} and {@code repr()} of the values task documents and templates hold (text, whole numbers,
 * floats, booleans, None, lists and dicts), so that what a template prints, and what a list looks like when a
 * template renders it for {@code ast.literal_eval}, is what lm-evaluation-harness gets from Jinja2 and Python.
 *
 * <p>Floats print as Python's shortest round-trip repr ({@code 1e-05}, {@code 12345678.0}, {@code 1e+16});
 * strings inside containers are quoted as Python quotes them. Stateless and thread-safe.
 */
public final class PythonValues {

    private PythonValues() {
    }

    /** Python's {@code str(value)}; {@code null} is {@code None}. */
    public static String str(Object value) {
        if (value instanceof CharSequence s) {
            return s.toString();
        }
        return repr(value);
    }

    /** Python's {@code repr(value)}. */
    public static String repr(Object value) {
        StringBuilder b = new StringBuilder();
        appendRepr(b, value);
        return b.toString();
    }

    /** Python's {@code repr(float)}: the shortest text that reads back as the same double. */
    public static String floatRepr(double d) {
        if (Double.isNaN(d)) {
            return "nan";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        return PythonJsonWriter.floatRepr(d);
    }

    /** Python's {@code repr(str)}: single quotes unless the text holds a single quote and no double quote. */
    public static String stringRepr(String s) {
        char quote = s.indexOf('\'') >= 0 && s.indexOf('"') < 0 ? '"' : '\'';
        StringBuilder b = new StringBuilder(s.length() + 2).append(quote);
        s.codePoints().forEach(cp -> {
            switch (cp) {
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (cp == quote) {
                        b.append('\\').append((char) cp);
                    } else if (isPrintable(cp)) {
                        b.appendCodePoint(cp);
                    } else if (cp < 0x100) {
                        b.append(String.format("\\x%02x", cp));
                    } else if (cp < 0x10000) {
                        b.append(String.format("\\u%04x", cp));
                    } else {
                        b.append(String.format("\\U%08x", cp));
                    }
                }
            }
        });
        return b.append(quote).toString();
    }

    /** Python's {@code str.isprintable()} for one code point. */
    static boolean isPrintable(int cp) {
        if (cp == ' ') {
            return true;
        }
        return switch (Character.getType(cp)) {
            case Character.CONTROL, Character.FORMAT, Character.SURROGATE, Character.PRIVATE_USE,
                 Character.UNASSIGNED, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR,
                 Character.SPACE_SEPARATOR -> false;
            default -> true;
        };
    }

    /** Python's {@code str.isspace()} for one character. */
    public static boolean isSpace(int cp) {
        return Character.isWhitespace(cp) || Character.getType(cp) == Character.SPACE_SEPARATOR
                || cp == 0x85 || (cp >= 0x1c && cp <= 0x1f);
    }

    private static void appendRepr(StringBuilder b, Object value) {
        switch (value) {
            case null -> b.append("None");
            case Boolean bool -> b.append(bool ? "True" : "False");
            case Double d -> b.append(floatRepr(d));
            case Float f -> b.append(floatRepr(f.doubleValue()));
            case BigDecimal d -> b.append(floatRepr(d.doubleValue()));
            case Number n -> b.append(n);
            case CharSequence s -> b.append(stringRepr(s.toString()));
            case Map<?, ?> m -> {
                b.append('{');
                Iterator<? extends Map.Entry<?, ?>> it = m.entrySet().iterator();
                while (it.hasNext()) {
                    Map.Entry<?, ?> e = it.next();
                    appendRepr(b, e.getKey());
                    b.append(": ");
                    appendRepr(b, e.getValue());
                    if (it.hasNext()) {
                        b.append(", ");
                    }
                }
                b.append('}');
            }
            case Collection<?> c -> appendSequence(b, c);
            case Object[] array -> appendSequence(b, java.util.Arrays.asList(array));
            case Map.Entry<?, ?> e -> {
                b.append('(');
                appendRepr(b, e.getKey());
                b.append(", ");
                appendRepr(b, e.getValue());
                b.append(')');
            }
            default -> b.append(value);
        }
    }

    private static void appendSequence(StringBuilder b, Collection<?> c) {
        b.append('[');
        Iterator<?> it = c.iterator();
        while (it.hasNext()) {
            appendRepr(b, it.next());
            if (it.hasNext()) {
                b.append(", ");
            }
        }
        b.append(']');
    }
}
