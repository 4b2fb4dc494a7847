package dev.evomerge.merge;

import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.TreeMap;

/**
 * Merge parameter values already evaluated for one tensor: gradients interpolated at the tensor's layer position,
 * filters matched, precedence applied (mergekit's {@code ConfigReader.parameter}). Every value is a double, as
 * mergekit coerces every parameter to a float: {@code true}/{@code false} arrive as 1/0 (methods read switches back
 * with {@link dev.evomerge.merge.method.ParameterDefinition#flagIn}, which accepts only 0 and 1, as mergekit's task
 * models do). A name that is absent means "not set anywhere"; the method's defaults
 * ({@link dev.evomerge.merge.method.ParameterDefinition}) fill it in.
 *
 * <p>Immutable and thread-safe.
 *
 * @param values parameter name to value
 */
public record ParameterValues(Map<String, Double> values) {

    private static final ParameterValues EMPTY = new ParameterValues(Map.of());

    public ParameterValues {
        Objects.requireNonNull(values, "values");
        values.forEach((k, v) -> {
            Objects.requireNonNull(k, "parameter name");
            Objects.requireNonNull(v, () -> "value of parameter '" + k + "'");
        });
        // Sorted, so that toString and equality do not depend on how the caller built the map.
        values = Map.copyOf(new TreeMap<>(values));
    }

    public static ParameterValues empty() {
        return EMPTY;
    }

    /** Values from alternating names and numbers, for example {@code of("weight", 0.5, "density", 0.3)}. */
    public static ParameterValues of(Object... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("expected name/value pairs, got " + namesAndValues.length + " items");
        }
        Map<String, Double> map = new TreeMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            String name = (String) namesAndValues[i];
            Object v = namesAndValues[i + 1];
            double d = v instanceof Boolean b ? (b ? 1.0 : 0.0) : ((Number) v).doubleValue();
            if (map.put(name, d) != null) {
                throw new IllegalArgumentException("parameter '" + name + "' given twice");
            }
        }
        return new ParameterValues(map);
    }

    /** The value, if set. */
    public OptionalDouble find(String name) {
        Double v = values.get(name);
        return v == null ? OptionalDouble.empty() : OptionalDouble.of(v);
    }

    public boolean has(String name) {
        return values.containsKey(name);
    }

    /** A copy with one value set or replaced. */
    public ParameterValues with(String name, double value) {
        Map<String, Double> map = new TreeMap<>(values);
        map.put(name, value);
        return new ParameterValues(map);
    }
}
