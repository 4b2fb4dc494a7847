package dev.evomerge.config;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Renders a tree of mappings, lists and scalars as block-style YAML that PyYAML reads back to the same values:
 * mappings as {@code key: value} lines indented by two spaces per level, lists as {@code - } items, short lists of
 * numbers in flow style ({@code [0.0, 0.5, 1.0]}), and text plain when PyYAML would read it back as the same text,
 * single-quoted otherwise, double-quoted with escapes when it holds line breaks or control characters. Stateless.
 *
 * <p>The tree holds {@link Map}s (in iteration order, never empty), {@link List}s (never empty), {@link Number}
 * scalars written as given by {@link Raw}, {@link Flow} lists, and {@link String}s.
 */
final class YamlEmitter {

    /** Only read after construction (its patterns are immutable), so one instance serves every thread. */
    private static final PyYamlResolver RESOLVER = new PyYamlResolver();
    private static final String PLAIN_PUNCTUATION = "._-/~+@=";

    /** A scalar already in its YAML form (a number). */
    record Raw(String text) {
        Raw {
            Objects.requireNonNull(text, "text");
        }
    }

    /** A list written on one line, of scalars already in their YAML form. */
    record Flow(List<String> items) {
        Flow {
            items = List.copyOf(items);
        }
    }

    private YamlEmitter() {
    }

    static String render(Map<String, Object> root) {
        StringBuilder b = new StringBuilder();
        mapping(root, 0, false, b);
        return b.toString();
    }

    private static void mapping(Map<String, Object> map, int indent, boolean firstOnDashLine, StringBuilder b) {
        boolean first = true;
        for (var e : map.entrySet()) {
            if (!(first && firstOnDashLine)) {
                b.repeat(' ', indent);
            }
            first = false;
            b.append(scalar(e.getKey())).append(':');
            value(e.getValue(), indent, b);
        }
    }

    @SuppressWarnings("unchecked")
    private static void value(Object value, int indent, StringBuilder b) {
        switch (value) {
            case Map<?, ?> m -> {
                b.append('\n');
                mapping((Map<String, Object>) m, indent + 2, false, b);
            }
            case List<?> list -> {
                b.append('\n');
                for (Object item : list) {
                    b.repeat(' ', indent + 2).append("- ");
                    if (item instanceof Map<?, ?> m) {
                        mapping((Map<String, Object>) m, indent + 4, true, b);
                    } else {
                        b.append(inline(item)).append('\n');
                    }
                }
            }
            default -> b.append(' ').append(inline(value)).append('\n');
        }
    }

    private static String inline(Object value) {
        return switch (value) {
            case Raw r -> r.text();
            case Flow f -> "[" + String.join(", ", f.items()) + "]";
            case String s -> scalar(s);
            default -> throw new IllegalArgumentException("cannot write " + value.getClass().getName() + " inline");
        };
    }

    /** Text as a YAML scalar that PyYAML reads back as exactly this string. */
    static String scalar(String s) {
        if (isPlainSafe(s)) {
            return s;
        }
        boolean printable = s.chars().allMatch(c -> c >= 0x20 && c != 0x7f && !(c >= 0x80 && c <= 0x9f)
                && c != 0x2028 && c != 0x2029 && c != 0xfeff);
        if (printable) {
            return "'" + s.replace("'", "''") + "'";
        }
        StringBuilder b = new StringBuilder("\"");
        s.codePoints().forEach(c -> {
            switch (c) {
                case '\\' -> b.append("\\\\");
                case '"' -> b.append("\\\"");
                case '\n' -> b.append("\\n");
                case '\t' -> b.append("\\t");
                case '\r' -> b.append("\\r");
                default -> {
                    if (c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f) || c == 0x2028 || c == 0x2029
                            || c == 0xfeff) {
                        b.append(String.format("\\u%04x", c));
                    } else {
                        b.appendCodePoint(c);
                    }
                }
            }
        });
        return b.append('"').toString();
    }

    private static boolean isPlainSafe(String s) {
        // '-' and '@' cannot start a plain scalar safely; the resolver catches numbers, booleans, null and '~'.
        if (s.isEmpty() || s.charAt(0) == '-' || s.charAt(0) == '@') {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c < 0x80 && Character.isLetterOrDigit(c)) && PLAIN_PUNCTUATION.indexOf(c) < 0) {
                return false;
            }
        }
        return RESOLVER.isPlainString(s);
    }
}
