package dev.evomerge.eval.template;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.filter.Filter;
import dev.evomerge.json.PythonJsonWriter;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code tojson} filter with Python's {@code json.dumps} layout ({@code ", "} and {@code ": "} separators,
 * floats as Python writes them), in either of the two flavours templates meet: Jinja2's own filter (keys sorted,
 * non-ASCII escaped, and {@code < > & '} escaped for HTML), which lm-evaluation-harness task templates get, or the
 * filter Hugging Face installs for chat templates (keys in order, non-ASCII kept, optional {@code indent}).
 *
 * <p>Stateless and thread-safe.
 */
final class JsonFilter implements Filter {

    private final boolean htmlSafe;

    JsonFilter(boolean htmlSafe) {
        this.htmlSafe = htmlSafe;
    }

    @Override
    public String getName() {
        return "tojson";
    }

    @Override
    public Object filter(Object var, JinjavaInterpreter interpreter, String... args) {
        return filter(var, interpreter, args, Map.of());
    }

    @Override
    public Object filter(Object var, JinjavaInterpreter interpreter, Object[] args, Map<String, Object> kwargs) {
        Object indentArg = kwargs.getOrDefault("indent", args.length > 0 ? args[0] : null);
        int indent = indentArg instanceof Number n ? n.intValue() : -1;
        boolean sortKeys = htmlSafe || Boolean.TRUE.equals(kwargs.get("sort_keys"));
        StringBuilder b = new StringBuilder();
        write(b, var, indent, 0, sortKeys);
        if (!htmlSafe) {
            return b.toString();
        }
        return b.toString().replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
                .replace("'", "\\u0027");
    }

    private void write(StringBuilder b, Object v, int indent, int depth, boolean sortKeys) {
        switch (v) {
            case null -> b.append("null");
            case Boolean bool -> b.append(bool);
            case Double d -> b.append(number(d));
            case Float f -> b.append(number(f.doubleValue()));
            case Number n -> b.append(n);
            case CharSequence s -> string(b, s.toString());
            case Map<?, ?> m -> {
                Map<?, ?> entries = sortKeys ? new TreeMap<>(stringKeys(m)) : m;
                if (entries.isEmpty()) {
                    b.append("{}");
                    return;
                }
                b.append('{');
                boolean first = true;
                for (Map.Entry<?, ?> e : entries.entrySet()) {
                    separator(b, first, indent, depth + 1);
                    first = false;
                    string(b, String.valueOf(e.getKey()));
                    b.append(": ");
                    write(b, e.getValue(), indent, depth + 1, sortKeys);
                }
                close(b, indent, depth, '}');
            }
            case Collection<?> c -> {
                if (c.isEmpty()) {
                    b.append("[]");
                    return;
                }
                b.append('[');
                boolean first = true;
                for (Object o : c) {
                    separator(b, first, indent, depth + 1);
                    first = false;
                    write(b, o, indent, depth + 1, sortKeys);
                }
                close(b, indent, depth, ']');
            }
            default -> string(b, v.toString());
        }
    }

    private static Map<String, Object> stringKeys(Map<?, ?> m) {
        Map<String, Object> out = new java.util.LinkedHashMap<>();
        m.forEach((k, v) -> out.put(String.valueOf(k), v));
        return out;
    }

    private static void separator(StringBuilder b, boolean first, int indent, int depth) {
        if (!first) {
            b.append(indent >= 0 ? "," : ", ");
        }
        if (indent >= 0) {
            b.append('\n').append(" ".repeat(indent * depth));
        }
    }

    private static void close(StringBuilder b, int indent, int depth, char bracket) {
        if (indent >= 0) {
            b.append('\n').append(" ".repeat(indent * depth));
        }
        b.append(bracket);
    }

    private static String number(double d) {
        return PythonJsonWriter.floatRepr(d);
    }

    private void string(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case '\b' -> b.append("\\b");
                case '\f' -> b.append("\\f");
                default -> {
                    if (c < 0x20 || (htmlSafe && c > 0x7e)) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }

    /** For tests: the JSON text of a value as the chat-template filter writes it. */
    static String dumps(Object value) {
        StringBuilder b = new StringBuilder();
        new JsonFilter(false).write(b, value, -1, 0, false);
        return b.toString();
    }
}
