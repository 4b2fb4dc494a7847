package dev.evomerge.config;

import dev.evomerge.json.PythonJsonWriter;
import java.math.BigInteger;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.regex.Pattern;

/**
 * Numbers as mergekit's Python stack reads and writes them: PyYAML's YAML 1.1 int and float constructors (with
 * underscores, {@code 0x}/{@code 0b}/leading-zero octal and base-60 forms), the grammar of Python's {@code float()}
 * that pydantic applies to numeric strings, and PyYAML's way of writing a float. Stateless.
 */
final class PythonNumbers {

    private static final String DIGITS = "[0-9](?:_?[0-9])*";
    /** Python's float() literal grammar (after stripping whitespace), plus inf/infinity/nan in any case. */
    private static final Pattern PY_FLOAT_TEXT = Pattern.compile("[+-]?(?:(?:" + DIGITS + "(?:\\.(?:" + DIGITS
            + ")?)?|\\." + DIGITS + ")(?:[eE][+-]?" + DIGITS + ")?|(?i:inf|infinity|nan))");

    private PythonNumbers() {
    }

    /** What Python's {@code float(text)} gives, or empty when it would raise. */
    static OptionalDouble parseFloatText(String text) {
        String s = text.strip();
        if (!PY_FLOAT_TEXT.matcher(s).matches()) {
            return OptionalDouble.empty();
        }
        String lower = s.replace("_", "").toLowerCase(Locale.ROOT);
        boolean negative = lower.startsWith("-");
        String body = unsigned(lower);
        if (body.equals("inf") || body.equals("infinity")) {
            return OptionalDouble.of(negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY);
        }
        if (body.equals("nan")) {
            return OptionalDouble.of(Double.NaN);
        }
        return OptionalDouble.of(Double.parseDouble(lower));
    }

    /** The value of a scalar PyYAML resolves to an int (its {@code construct_yaml_int}). */
    static BigInteger yamlInt(String text) {
        String signed = text.replace("_", "");
        String s = unsigned(signed);
        BigInteger v;
        if (s.equals("0")) {
            v = BigInteger.ZERO;
        } else if (s.startsWith("0b")) {
            v = new BigInteger(s.substring(2), 2);
        } else if (s.startsWith("0x")) {
            v = new BigInteger(s.substring(2), 16);
        } else if (s.startsWith("0")) {
            v = new BigInteger(s.substring(1), 8);
        } else if (s.contains(":")) {
            v = BigInteger.ZERO;
            for (String digit : s.split(":")) {
                v = v.multiply(BigInteger.valueOf(60)).add(new BigInteger(digit));
            }
        } else {
            v = new BigInteger(s);
        }
        return signed.startsWith("-") ? v.negate() : v;
    }

    /** The value of a scalar PyYAML resolves to a float (its {@code construct_yaml_float}). */
    static double yamlFloat(String text) {
        String signed = text.replace("_", "").toLowerCase(Locale.ROOT);
        double sign = signed.startsWith("-") ? -1 : 1;
        String s = unsigned(signed);
        if (s.equals(".inf")) {
            return sign * Double.POSITIVE_INFINITY;
        }
        if (s.equals(".nan")) {
            return Double.NaN;
        }
        if (s.contains(":")) {
            // PyYAML sums the base-60 digits as floats, least significant first.
            String[] parts = s.split(":");
            double v = 0;
            double base = 1;
            for (int i = parts.length - 1; i >= 0; i--) {
                v += Double.parseDouble(parts[i]) * base;
                base *= 60;
            }
            return sign * v;
        }
        return sign * Double.parseDouble(s);
    }

    /** A number's text without its leading sign, if it has one. */
    private static String unsigned(String text) {
        return text.startsWith("-") || text.startsWith("+") ? text.substring(1) : text;
    }

    /**
     * A float as PyYAML writes it: Python's {@code repr}, lower case, with {@code .0} put before an exponent that
     * has no dot (so {@code 1e-05} becomes {@code 1.0e-05}, which PyYAML reads back as a float), and
     * {@code .inf}/{@code -.inf}/{@code .nan}.
     */
    static String yamlFloat(double value) {
        if (Double.isNaN(value)) {
            return ".nan";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? ".inf" : "-.inf";
        }
        String repr = PythonJsonWriter.floatRepr(value).toLowerCase(Locale.ROOT);
        if (!repr.contains(".") && repr.contains("e")) {
            repr = repr.replaceFirst("e", ".0e");
        }
        return repr;
    }
}
