package dev.evomerge.config;

import dev.evomerge.diag.Requires;
import dev.evomerge.diag.SourceLocation;
import java.math.BigInteger;
import java.util.Locale;

/**
 * A scalar with its text and the type PyYAML's {@code safe_load} resolves it to (YAML 1.1). Conversions follow
 * pydantic's lax coercion, which is what mergekit applies to config values: booleans become 1.0 and 0.0, integers
 * become floats, numeric strings become numbers (with Python's {@code float()} grammar), while a field typed as
 * text accepts only text.
 *
 * @param text the scalar's text as written (without quotes)
 * @param type what the text resolves to
 * @param location where it is
 */
public record YamlScalar(String text, Type type, SourceLocation location) implements YamlNode {

    private static final BigInteger MAX_EXACT = BigInteger.valueOf(1L << 53);

    /** The resolved type of a scalar. A quoted scalar is always a string. */
    public enum Type { NULL, BOOL, INT, FLOAT, STRING }

    public YamlScalar {
        Requires.nonNull("text, type, location", text, type, location);
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

    /**
     * The value of a field typed as text: only a YAML string is accepted, as pydantic refuses to turn a number or a
     * boolean into text.
     *
     * @param what what the field holds, for the message (for example "a model path")
     */
    public String asText(String what) {
        if (type != Type.STRING) {
            throw error("expected " + what + " but found " + kindName(),
                    "put it in quotes if it is meant as text");
        }
        return text;
    }

    /** The value as a number, with pydantic's coercions; anything else is an error. */
    public double asDouble() {
        return switch (type) {
            case BOOL -> parseBool() ? 1.0 : 0.0;
            case INT -> PythonNumbers.yamlInt(text).doubleValue();
            case FLOAT -> PythonNumbers.yamlFloat(text);
            case STRING -> PythonNumbers.parseFloatText(text).orElseThrow(
                    () -> error("expected a number but found the text '" + text + "'"));
            case NULL -> throw error("expected a number but found null");
        };
    }

    /** The value as an integer; a float with a fraction is an error. */
    public long asLong() {
        if (type == Type.INT) {
            BigInteger v = PythonNumbers.yamlInt(text);
            if (v.abs().compareTo(MAX_EXACT) > 0) {
                throw error("expected a whole number of reasonable size but found " + text);
            }
            return v.longValueExact();
        }
        double d = asDouble();
        if (d != Math.rint(d) || Double.isInfinite(d) || Math.abs(d) > MAX_EXACT.doubleValue()) {
            throw error("expected a whole number but found " + text);
        }
        return (long) d;
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
            case "true", "yes", "on" -> true;
            default -> false;
        };
    }
}
