package dev.evomerge.eval.template;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a Python literal as {@code ast.literal_eval} does, for the values lm-evaluation-harness turns rendered
 * templates into: a {@code doc_to_choice} template renders to a list such as {@code ['yes', 'no']}, a
 * {@code doc_to_target} template may render to {@code [0, 2]}. Understands strings (single, double and triple quotes,
 * Python's escapes, adjacent literals joined, {@code r} prefixes), whole numbers (as {@link Long}, or
 * {@link BigInteger} past its range), floats (as {@link Double}), {@code True}, {@code False}, {@code None}, lists and
 * tuples (as {@link List}), sets (as {@link List} in written order) and dicts (as {@link LinkedHashMap}).
 *
 * <p>Stateless and thread-safe.
 */
public final class PythonLiteral {

    private final String text;
    private int at;

    private PythonLiteral(String text) {
        this.text = text;
    }

    /**
     * The value of {@code text}.
     *
     * @throws IllegalArgumentException saying where the text is not a Python literal
     */
    public static Object parse(String text) {
        PythonLiteral p = new PythonLiteral(text);
        p.skipSpace();
        Object value = p.value();
        p.skipSpace();
        if (p.at != text.length()) {
            throw p.error("unexpected text after the value");
        }
        return value;
    }

    private Object value() {
        if (at >= text.length()) {
            throw error("a value is missing");
        }
        char c = text.charAt(at);
        return switch (c) {
            case '[' -> sequence(']');
            case '(' -> tuple();
            case '{' -> braces();
            case '\'', '"' -> strings();
            default -> {
                if ((c == 'r' || c == 'R') && at + 1 < text.length()
                        && (text.charAt(at + 1) == '\'' || text.charAt(at + 1) == '"')) {
                    yield strings();
                }
                if (Character.isDigit(c) || c == '-' || c == '+' || c == '.') {
                    yield number();
                }
                yield name();
            }
        };
    }

    private List<Object> sequence(char close) {
        at++;
        List<Object> items = new ArrayList<>();
        skipSpace();
        while (!peek(close)) {
            items.add(value());
            skipSpace();
            if (peek(',')) {
                at++;
                skipSpace();
            } else if (!peek(close)) {
                throw error("expected ',' or '" + close + "'");
            }
        }
        at++;
        return items;
    }

    private Object tuple() {
        int start = at;
        at++;
        skipSpace();
        if (peek(')')) {
            at++;
            return new ArrayList<>();
        }
        Object first = value();
        skipSpace();
        if (peek(')')) {
            at++;
            return first; // (x) is x, not a tuple
        }
        at = start;
        return sequence(')');
    }

    private Object braces() {
        int start = at;
        at++;
        skipSpace();
        if (peek('}')) {
            at++;
            return new LinkedHashMap<>();
        }
        value();
        skipSpace();
        boolean dict = peek(':');
        at = start;
        if (!dict) {
            return sequence('}');
        }
        at++;
        Map<Object, Object> map = new LinkedHashMap<>();
        skipSpace();
        while (!peek('}')) {
            Object key = value();
            skipSpace();
            if (!peek(':')) {
                throw error("expected ':' in a dict");
            }
            at++;
            skipSpace();
            map.put(key, value());
            skipSpace();
            if (peek(',')) {
                at++;
                skipSpace();
            } else if (!peek('}')) {
                throw error("expected ',' or '}'");
            }
        }
        at++;
        return map;
    }

    private String strings() {
        StringBuilder b = new StringBuilder();
        do {
            b.append(string());
            skipSpace();
        } while (at < text.length() && (peek('\'') || peek('"') || ((peek('r') || peek('R'))
                && at + 1 < text.length() && (text.charAt(at + 1) == '\'' || text.charAt(at + 1) == '"'))));
        return b.toString();
    }

    private String string() {
        boolean raw = false;
        if (peek('r') || peek('R')) {
            raw = true;
            at++;
        }
        char quote = text.charAt(at);
        boolean triple = text.startsWith(String.valueOf(quote).repeat(3), at);
        at += triple ? 3 : 1;
        StringBuilder b = new StringBuilder();
        while (true) {
            if (at >= text.length()) {
                throw error("unterminated string");
            }
            char c = text.charAt(at);
            if (c == quote && (!triple || text.startsWith(String.valueOf(quote).repeat(3), at))) {
                at += triple ? 3 : 1;
                return b.toString();
            }
            if (c == '\n' && !triple) {
                throw error("unterminated string");
            }
            if (c == '\\' && at + 1 < text.length()) {
                if (raw) {
                    b.append(c).append(text.charAt(at + 1));
                    at += 2;
                } else {
                    escape(b);
                }
                continue;
            }
            b.append(c);
            at++;
        }
    }

    private void escape(StringBuilder b) {
        char c = text.charAt(at + 1);
        at += 2;
        switch (c) {
            case '\n' -> { }
            case '\\', '\'', '"' -> b.append(c);
            case 'a' -> b.append('\u0007');
            case 'b' -> b.append('\b');
            case 'f' -> b.append('\f');
            case 'n' -> b.append('\n');
            case 'r' -> b.append('\r');
            case 't' -> b.append('\t');
            case 'v' -> b.append('\u000b');
            case 'x' -> b.appendCodePoint(hex(2));
            case 'u' -> b.appendCodePoint(hex(4));
            case 'U' -> b.appendCodePoint(hex(8));
            default -> {
                if (c >= '0' && c <= '7') {
                    int v = c - '0';
                    for (int i = 0; i < 2 && at < text.length() && text.charAt(at) >= '0' && text.charAt(at) <= '7';
                            i++) {
                        v = v * 8 + text.charAt(at++) - '0';
                    }
                    b.appendCodePoint(v);
                } else {
                    b.append('\\').append(c); // Python keeps unknown escapes as written
                }
            }
        }
    }

    private int hex(int digits) {
        if (at + digits > text.length()) {
            throw error("truncated escape");
        }
        try {
            int v = Integer.parseUnsignedInt(text.substring(at, at + digits), 16);
            at += digits;
            if (!Character.isValidCodePoint(v)) {
                throw error("escape out of range");
            }
            return v;
        } catch (NumberFormatException e) {
            throw error("bad escape digits");
        }
    }

    private Object number() {
        int start = at;
        if (peek('-') || peek('+')) {
            at++;
            skipSpace();
        }
        int digitsStart = at;
        boolean isFloat = false;
        while (at < text.length()) {
            char c = text.charAt(at);
            if (Character.isDigit(c) || c == '_') {
                at++;
            } else if (c == '.' || c == 'e' || c == 'E') {
                isFloat = true;
                at++;
                if ((c == 'e' || c == 'E') && at < text.length() && (peek('-') || peek('+'))) {
                    at++;
                }
            } else {
                break;
            }
        }
        String body = text.substring(digitsStart, at).replace("_", "");
        boolean negative = text.charAt(start) == '-';
        if (body.isEmpty()) {
            at = start;
            return name();
        }
        try {
            if (isFloat) {
                double d = Double.parseDouble(body);
                return negative ? -d : d;
            }
            if (body.length() > 1 && body.charAt(0) == '0' && !body.chars().allMatch(ch -> ch == '0')) {
                throw error("leading zeros are not allowed in a whole number");
            }
            BigInteger v = new BigInteger(body);
            v = negative ? v.negate() : v;
            return v.bitLength() < 64 ? (Object) v.longValue() : v;
        } catch (NumberFormatException e) {
            throw error("not a number: " + text.substring(start, at));
        }
    }

    private Object name() {
        int start = at;
        while (at < text.length() && Character.isJavaIdentifierPart(text.charAt(at))) {
            at++;
        }
        String name = text.substring(start, at);
        return switch (name) {
            case "True" -> Boolean.TRUE;
            case "False" -> Boolean.FALSE;
            case "None" -> null;
            default -> {
                at = start;
                throw error(name.isEmpty() ? "unexpected character '" + text.charAt(start) + "'"
                        : "'" + name + "' is not a literal");
            }
        };
    }

    private boolean peek(char c) {
        return at < text.length() && text.charAt(at) == c;
    }

    private void skipSpace() {
        while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
            at++;
        }
    }

    private IllegalArgumentException error(String what) {
        return new IllegalArgumentException(what + " at character " + (at + 1));
    }
}
