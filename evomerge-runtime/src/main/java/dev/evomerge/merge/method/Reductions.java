package dev.evomerge.merge.method;

/**
 * Sums over whole tensors in float64, in a fixed order: four interleaved partial sums (elements {@code i mod 4})
 * added together at the end, so the result is the same on every machine and independent of how the JIT
 * vectorises. Products of two floats are exact in double, so {@link #dot} only rounds in the additions.
 *
 * <p>Stateless.
 */
final class Reductions {

    private Reductions() {
    }

    /** Σ a[i]·b[i] over {@code [from, to)}. */
    static double dot(float[] a, float[] b, int from, int to) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int i = from;
        for (; i + 3 < to; i += 4) {
            s0 += (double) a[i] * b[i];
            s1 += (double) a[i + 1] * b[i + 1];
            s2 += (double) a[i + 2] * b[i + 2];
            s3 += (double) a[i + 3] * b[i + 3];
        }
        for (; i < to; i++) {
            s0 += (double) a[i] * b[i];
        }
        return (s0 + s1) + (s2 + s3);
    }

    static double dot(float[] a, float[] b) {
        return dot(a, b, 0, a.length);
    }

    /** Σ a[i]² over {@code [from, to)}. */
    static double sumSquares(float[] a, int from, int to) {
        return dot(a, a, from, to);
    }

    /** The Frobenius norm of the whole array. */
    static double norm(float[] a) {
        return Math.sqrt(dot(a, a, 0, a.length));
    }

    /** Σ |a[i]| over the whole array. */
    static double sumAbs(float[] a) {
        return sumAbs(a, 0, a.length);
    }

    /** Σ |a[i]| over {@code [from, to)}. */
    static double sumAbs(float[] a, int from, int to) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int n = to;
        int i = from;
        for (; i + 3 < n; i += 4) {
            s0 += Math.abs(a[i]);
            s1 += Math.abs(a[i + 1]);
            s2 += Math.abs(a[i + 2]);
            s3 += Math.abs(a[i + 3]);
        }
        for (; i < n; i++) {
            s0 += Math.abs(a[i]);
        }
        return (s0 + s1) + (s2 + s3);
    }
}
