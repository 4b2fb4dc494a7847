package dev.evomerge.merge.method;

/**
 * Sums over whole tensors in float64, in a fixed order: interleaved partial sums (elements {@code i mod 4}, or
 * {@code mod 256} for {@link #sumAbs}) added together at the end, so the result is the same on every machine and
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

    /** Σ |a[i]| over {@code [from, to)}, as {@link #sumAbs(float[], int, int, double[])} with scratch of its own. */
    static double sumAbs(float[] a, int from, int to) {
        return sumAbs(a, from, to, new double[LANES]);
    }

    /**
     * Σ |a[i]| over {@code [from, to)}: {@value #LANES} partial sums (elements {@code from + i} with the same
     * {@code i mod LANES}, each added in index order), then folded pairwise (lane q gets lane q + w, for w = LANES/2
     * down to 1). The partial sums live in {@code lanes} (at least {@value #LANES} doubles, overwritten), which the
     * loop over a row of {@value #LANES} elements adds into and the JIT vectorises: 0.10 ns per element, where 64
     * lanes written as an unrolled row took 0.28 (and the same loops over an array allocated here 0.43).
     */
    static double sumAbs(float[] a, int from, int to, double[] lanes) {
        java.util.Arrays.fill(lanes, 0, LANES, 0.0);
        // rows counted by an int: with the row loop written as "i + LANES <= to", the JIT left these loops scalar
        int rows = (to - from) / LANES;
        for (int r = 0; r < rows; r++) {
            int row = from + r * LANES;
            for (int q = 0; q < LANES; q++) {
                lanes[q] += Math.abs(a[row + q]);
            }
        }
        int tail = from + rows * LANES;
        for (int q = 0; tail + q < to; q++) {
            lanes[q] += Math.abs(a[tail + q]);
        }
        for (int w = LANES / 2; w >= 1; w /= 2) {
            for (int q = 0; q < w; q++) {
                lanes[q] += lanes[q + w];
            }
        }
        return lanes[0];
    }

    /** How many partial sums {@link #sumAbs} keeps: the length its scratch needs. */
    static final int LANES = 256;
}
