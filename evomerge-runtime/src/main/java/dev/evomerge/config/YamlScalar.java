package dev.evomerge.config;

import dev.evomerge.diag.SourceLocation;
import java.util.Locale;
import java.util.Objects;

/**
 * A scalar with its text and the type YAML 1.1's core schema resolves it to (as PyYAML's {@code safe_load} would).
 * Conversions follow pydantic's lax coercion, which is what mergekit applies to config values: booleans become 1.0 and
 * 0.0, integers become floats, numeric strings become numbers.
 *
 * @param text the scalar's text as written (without quotes)
 * @param type what the text resolves to
 * @param location where it is
 */
public record YamlScalar(String text, Type type, SourceLocation location) implements YamlNode {

    /** The resolved type of a scalar. A quoted scalar is always a string. */
    public enum Type { NULL, BOOL, INT, FLOAT, STRING }

    public YamlScalar {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(location, "location");
    }

    @Override
    public String kindName() {
        return switch (type) {
            case NULL -> "null";
            case STRING -> "the text '" + text + "'";
            default -> "the value " + text;
        };
    }

    public boolean isNull() {
        return type == Type.NULL;
    }

    /** The value as a string; numbers and booleans give their text, null is an error. */
    public String asString() {
        if (isNull()) {
            throw error("expected a value but found null");
        }
        return text;
    }

    /** The value as a number, with pydantic's coercions; anything else is an error. */
    public double asDouble() {
        return switch (type) {
            case BOOL -> parseBool() ? 1.0 : 0.0;
            case INT, FLOAT -> parseNumber(text);
            case STRING -> {
                try {
                    yield Double.parseDouble(text.strip());
                } catch (NumberFormatException e) {
                    throw error("expected a number but found the text '" + text + "'");
                }
            }
            case NULL -> throw error("expected a number but found null");
        };
    }

    /** The value as an integer; a float with a fraction is an error. */
    public long asLong() {
        double d = asDouble();
        if (d != Math.rint(d) || Double.isInfinite(d) || Math.abs(d) > 9.007199254740992E15) {
            throw error("expected a whole number but found " + text);
        }
        return type == Type.INT ? parseInt(text) : (long) d;
    }

    /** The value as an int within the given bounds. */
    public int asInt(int min, int max) {
        long v = asLong();
        if (v < min || v > max) {
            throw error("expected a whole number from " + min + " to " + max + " but found " + text);
        }
        return (int) v;
    }

    /** The value as a boolean: YAML booleans, and 0/1 as pydantic accepts them. */
    public boolean asBoolean() {
        if (type == Type.BOOL) {
            return parseBool();
        }
        if (type == Type.INT && (text.equals("0") || text.equals("1"))) {
            return text.equals("1");
        }
        if (type == Type.STRING) {
            switch (text.toLowerCase(Locale.ROOT)) {
                case "true", "yes", "on", "1": return true;
                case "false", "no", "off", "0": return false;
                default: break;
            }
        }
        throw error("expected true or false but found " + kindName());
    }

    private boolean parseBool() {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on", "y" -> true;
            default -> false;
        };
    }

    private static long parseInt(String t) {
        String s = t.replace("_", "");
        boolean negative = s.startsWith("-");
        if (s.startsWith("+") || s.startsWith("-")) {
            s = s.substring(1);
        }
        long v;
        if (s.startsWith("0x")) {
            v = Long.parseLong(s.substring(2), 16);
        } else if (s.startsWith("0o")) {
            v = Long.parseLong(s.substring(2), 8);
        } else if (s.startsWith("0b")) {
            v = Long.parseLong(s.substring(2), 2);
        } else if (s.length() > 1 && s.startsWith("0")) {
            v = Long.parseLong(s.substring(1), 8);
        } else {
            v = Long.parseLong(s);
        }
        return negative ? -v : v;
    }

    private static double parseNumber(String t) {
        String s = t.replace("_", "").toLowerCase(Locale.ROOT);
        switch (s) {
            case ".inf", "+.inf": return Double.POSITIVE_INFINITY;
            case "-.inf": return Double.NEGATIVE_INFINITY;
            case ".nan": return Double.NaN;
            default: break;
        }
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return parseInt(t);
        }
    }
}
