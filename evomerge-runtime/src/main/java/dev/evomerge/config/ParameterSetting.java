package dev.evomerge.config;

import dev.evomerge.diag.Requires;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * The value of one merge parameter as a config writes it (mergekit's {@code ParameterSetting}): a number, a gradient
 * (a list of numbers interpolated over the layers of a slice), or a conditional list of {@code {filter, value}}
 * entries whose values are numbers or gradients. Immutable and thread-safe.
 *
 * <p>{@link #evaluate} follows mergekit's {@code evaluate_setting} exactly (same double operations in the same
 * order), so a gradient gives the same bits as mergekit does.
 */
public sealed interface ParameterSetting permits ParameterSetting.Scalar, ParameterSetting.Gradient,
        ParameterSetting.Conditional {

    /**
     * The value for a tensor at position {@code t} of its slice, or empty when a conditional list has no entry
     * whose filter matches (the lookup then falls through to the next, less specific, level).
     *
     * @param tensorName the name filters are tested against (null or empty: only unfiltered entries match)
     * @param t the position in the slice, from 0 to 1
     */
    OptionalDouble evaluate(String tensorName, double t);

    static Scalar scalar(double value) {
        return new Scalar(value);
    }

    static Gradient gradient(double... values) {
        return new Gradient(Arrays.stream(values).boxed().toList());
    }

    static Conditional conditional(Conditional.Entry... entries) {
        return new Conditional(List.of(entries));
    }

    /** A plain number, the same for every tensor and layer. */
    record Scalar(double value) implements ParameterSetting {
        @Override
        public OptionalDouble evaluate(String tensorName, double t) {
            return OptionalDouble.of(value);
        }
    }

    /**
     * Numbers spread evenly over a slice and interpolated linearly in between: at position {@code t},
     * {@code s = t*(n-1)}, {@code i0 = floor(s)}, {@code i1 = min(n-1, i0+1)}, {@code f = s-i0}, and the value is
     * {@code (1-f)*v[i0] + f*v[i1]}.
     *
     * @param values at least one number
     */
    record Gradient(List<Double> values) implements ParameterSetting {
        public Gradient {
            values = Requires.nonEmptyCopy(values, "a gradient needs at least one value");
        }

        @Override
        public OptionalDouble evaluate(String tensorName, double t) {
            checkT(t);
            int n = values.size();
            double scaled = t * (n - 1);
            int i0 = (int) scaled;
            int i1 = Math.min(n - 1, i0 + 1);
            double frac = scaled - i0;
            return OptionalDouble.of((1 - frac) * values.get(i0) + frac * values.get(i1));
        }
    }

    /**
     * An ordered list of entries; the first entry whose filter matches gives the value.
     *
     * @param entries at least one entry
     */
    record Conditional(List<Entry> entries) implements ParameterSetting {
        public Conditional {
            entries = Requires.nonEmptyCopy(entries, "a conditional parameter needs at least one entry");
        }

        @Override
        public OptionalDouble evaluate(String tensorName, double t) {
            for (Entry entry : entries) {
                if (entry.matches(tensorName)) {
                    return entry.value().evaluate(tensorName, t);
                }
            }
            return OptionalDouble.empty();
        }

        /**
         * One {@code {filter, value}} entry.
         *
         * @param filter a plain, case-sensitive substring of the tensor name; null or {@code "*"} matches every
         *     tensor
         * @param value a {@link Scalar} or a {@link Gradient}
         */
        public record Entry(String filter, ParameterSetting value) {
            public Entry {
                Objects.requireNonNull(value, "value");
                if (value instanceof Conditional) {
                    throw new IllegalArgumentException("a conditional entry's value must be a number or a gradient");
                }
            }

            /** An entry that applies to every tensor (a catch-all default when it comes last). */
            public static Entry always(ParameterSetting value) {
                return new Entry(null, value);
            }

            public static Entry of(String filter, ParameterSetting value) {
                return new Entry(filter, value);
            }

            /** mergekit's rule: no filter, {@code "*"}, or a substring of a non-empty tensor name. */
            public boolean matches(String tensorName) {
                return filter == null || filter.equals("*")
                        || (tensorName != null && !tensorName.isEmpty() && tensorName.contains(filter));
            }
        }
    }

    private static void checkT(double t) {
        if (!(t >= 0 && t <= 1)) {
            throw new IllegalArgumentException("t must be within [0, 1], got " + t);
        }
    }
}
