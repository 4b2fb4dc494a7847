package dev.evomerge.merge.method;

/**
 * Sums over whole tensors in float64, in a fixed order: interleaved partial sums (elements {@code i mod 4}, or
 * {@code mod 64} for {@link #sumAbs}) added together at the end, so the result is the same on every machine and
 * independent of how the JIT vectorises. Products of two floats are exact in double, so {@link #dot} only rounds
 * in the additions.
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

    /**
     * Σ |a[i]| over {@code [from, to)}: 64 partial sums (elements {@code from + i} with the same {@code i mod 64}),
     * added in a fixed tree at the end. The partial sums run in vector registers.
     */
    static double sumAbs(float[] a, int from, int to) {
        double[] lanes = new double[LANES];
        int i = from;
        for (; i + LANES <= to; i += LANES) {
            for (int q = 0; q < LANES; q++) {
                lanes[q] += Math.abs(a[i + q]);
            }
        }
        for (int q = 0; i + q < to; q++) {
            lanes[q] += Math.abs(a[i + q]);
        }
        return addLanes(lanes);
    }

    private static final int LANES = 64;

    /** The lanes added pairwise, neighbours first. */
    private static double addLanes(double[] lanes) {
        for (int width = LANES / 2; width >= 1; width /= 2) {
            for (int q = 0; q < width; q++) {
                lanes[q] = lanes[2 * q] + lanes[2 * q + 1];
            }
        }
        return lanes[0];
    }
}
