package dev.evomerge.merge.method;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ReductionsTest {

    /** The documented order written out plainly: lane q sums elements with i mod 256 = q, then pairwise folds. */
    private static double sumAbsAsDocumented(float[] a, int from, int to) {
        double[] lanes = new double[256];
        for (int i = from; i < to; i++) {
            lanes[(i - from) % 256] += Math.abs(a[i]);
        }
        for (int w = 128; w >= 1; w /= 2) {
            for (int q = 0; q < w; q++) {
                lanes[q] += lanes[q + w];
            }
        }
        return lanes[0];
    }

    @Test
    void sumAbs_anyRangeAndTail_matchesTheDocumentedOrderBitForBitAndTheExactSum() {
        SplittableRandom rnd = new SplittableRandom(11);
        float[] a = new float[10_000];
        for (int i = 0; i < a.length; i++) {
            // magnitudes over many binades, both signs, so that the order of the additions shows in the last bits
            a[i] = (float) (rnd.nextGaussian() * Math.pow(2, rnd.nextInt(-20, 20)));
        }
        double[] scratch = new double[Reductions.LANES];
        for (int[] range : new int[][] {{0, 0}, {0, 1}, {3, 258}, {0, 256}, {5, 4101}, {0, 4096}, {17, 10_000}}) {
            int from = range[0];
            int to = range[1];
            String what = "range " + from + ".." + to;
            double expected = sumAbsAsDocumented(a, from, to);
            assertEquals(Double.doubleToRawLongBits(expected),
                    Double.doubleToRawLongBits(Reductions.sumAbs(a, from, to, scratch)), what);
            assertEquals(Double.doubleToRawLongBits(expected),
                    Double.doubleToRawLongBits(Reductions.sumAbs(a, from, to)), "own scratch, " + what);
            BigDecimal exact = BigDecimal.ZERO;
            for (int i = from; i < to; i++) {
                exact = exact.add(new BigDecimal(Math.abs(a[i])));
            }
            assertEquals(exact.doubleValue(), expected, Math.ulp(exact.doubleValue()) * 64, what);
        }
    }
}
