package dev.evomerge.search;

import java.util.Arrays;

/**
 * Box bounds of a genome: {@code lower[i] <= x[i] <= upper[i]}. A side may be infinite (unbounded). Immutable; the
 * arrays are copied in and out.
 *
 * @param lower the lower bound of each coordinate; finite or {@code -inf}
 * @param upper the upper bound of each coordinate, strictly above the lower one; finite or {@code +inf}
 */
public record Bounds(double[] lower, double[] upper) {

    public Bounds {
        if (lower.length != upper.length) {
            throw new IllegalArgumentException(
                    "lower and upper bounds must have the same length, got " + lower.length + " and " + upper.length);
        }
        if (lower.length == 0) {
            throw new IllegalArgumentException("bounds need at least one coordinate");
        }
        lower = lower.clone();
        upper = upper.clone();
        for (int i = 0; i < lower.length; i++) {
            if (Double.isNaN(lower[i]) || Double.isNaN(upper[i]) || lower[i] == Double.POSITIVE_INFINITY
                    || upper[i] == Double.NEGATIVE_INFINITY || !(lower[i] < upper[i])) {
                throw new IllegalArgumentException("coordinate " + i + " needs lower < upper, got [" + lower[i]
                        + ", " + upper[i] + "]");
            }
        }
    }

    /** {@code n} coordinates with no bounds at all. */
    public static Bounds unbounded(int n) {
        return box(n, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY);
    }

    /** {@code n} coordinates, each within {@code [lower, upper]}. */
    public static Bounds box(int n, double lower, double upper) {
        if (n <= 0) {
            throw new IllegalArgumentException("dimension must be > 0, got " + n);
        }
        double[] lo = new double[n];
        double[] hi = new double[n];
        Arrays.fill(lo, lower);
        Arrays.fill(hi, upper);
        return new Bounds(lo, hi);
    }

    @Override
    public double[] lower() {
        return lower.clone();
    }

    @Override
    public double[] upper() {
        return upper.clone();
    }

    public double lower(int i) {
        return lower[i];
    }

    public double upper(int i) {
        return upper[i];
    }

    public int dimension() {
        return lower.length;
    }

    /** Whether every coordinate has two finite bounds. */
    public boolean isFinite() {
        for (int i = 0; i < lower.length; i++) {
            if (!Double.isFinite(lower[i]) || !Double.isFinite(upper[i])) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code x} has this dimension and lies within the bounds (ends included). */
    public boolean contains(double[] x) {
        if (x.length != lower.length) {
            return false;
        }
        for (int i = 0; i < x.length; i++) {
            if (!(x[i] >= lower[i] && x[i] <= upper[i])) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Bounds b && Arrays.equals(lower, b.lower) && Arrays.equals(upper, b.upper);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(lower) + Arrays.hashCode(upper);
    }

    @Override
    public String toString() {
        return "Bounds[lower=" + Arrays.toString(lower) + ", upper=" + Arrays.toString(upper) + "]";
    }
}
