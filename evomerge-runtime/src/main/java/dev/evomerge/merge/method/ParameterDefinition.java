package dev.evomerge.merge.method;

import dev.evomerge.diag.Requires;
import dev.evomerge.diag.RunException;
import dev.evomerge.merge.ParameterValues;
import java.util.OptionalDouble;

/**
 * One parameter a merge method reads, as data (mergekit's {@code ConfigParameterDef}): its name, what kind of
 * number it is, whether it must be set, and its default. The config layer uses these to resolve precedence and
 * report missing values with their YAML position; methods use them to read values with the default filled in.
 *
 * <p>Immutable and thread-safe.
 *
 * @param name the YAML key, for example {@code density}
 * @param kind how the value is read
 * @param required whether a value must be set (the base model is exempt for per-model parameters)
 * @param defaultValue the value when none is set; empty for required parameters and for optional ones without a
 *     default (passthrough's {@code scale})
 */
public record ParameterDefinition(String name, ParameterKind kind, boolean required, OptionalDouble defaultValue) {

    public ParameterDefinition {
        Requires.nonNull("name, kind, defaultValue", name, kind, defaultValue);
        if (required && defaultValue.isPresent()) {
            throw new IllegalArgumentException("required parameter '" + name + "' cannot have a default");
        }
    }

    /** A parameter that must be set. */
    public static ParameterDefinition required(String name, ParameterKind kind) {
        return new ParameterDefinition(name, kind, true, OptionalDouble.empty());
    }

    /** A parameter with a default. */
    public static ParameterDefinition optional(String name, ParameterKind kind, double defaultValue) {
        return new ParameterDefinition(name, kind, false, OptionalDouble.of(defaultValue));
    }

    /** A parameter that may stay unset. */
    public static ParameterDefinition optionalWithoutDefault(String name, ParameterKind kind) {
        return new ParameterDefinition(name, kind, false, OptionalDouble.empty());
    }

    /** The set value, else the default; empty when neither exists. */
    public OptionalDouble find(ParameterValues values) {
        OptionalDouble v = values.find(name);
        return v.isPresent() ? v : defaultValue;
    }

    /**
     * The set value, else the default.
     *
     * @param where what the value is for, for the error message: a tensor name, or {@code model:tensor}
     * @throws RunException if there is neither (mergekit: "Missing required parameter ...")
     */
    public double valueIn(ParameterValues values, String where) {
        OptionalDouble v = find(values);
        if (v.isEmpty()) {
            throw new RunException("missing required parameter '" + name + "' for " + where,
                    "set '" + name + "' under the model's parameters or in the top-level parameters");
        }
        return v.getAsDouble();
    }

    /**
     * {@link #valueIn} read as a switch. Only 0 and 1 ({@code false} and {@code true} in YAML) are accepted, as
     * mergekit's task models validate them as booleans.
     */
    public boolean flagIn(ParameterValues values, String where) {
        double v = valueIn(values, where);
        if (v != 0.0 && v != 1.0) {
            throw new RunException("parameter '" + name + "' for " + where + " must be true or false, got " + v,
                    "write " + name + ": true or " + name + ": false");
        }
        return v == 1.0;
    }

    /** {@link #valueIn} read as a whole number. */
    public int intIn(ParameterValues values, String where) {
        double v = valueIn(values, where);
        if (v != Math.rint(v) || Math.abs(v) > Integer.MAX_VALUE) {
            throw new RunException("parameter '" + name + "' for " + where + " must be a whole number, got " + v,
                    "write it without a fractional part");
        }
        return (int) v;
    }
}
