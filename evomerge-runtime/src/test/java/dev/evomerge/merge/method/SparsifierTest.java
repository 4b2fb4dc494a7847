package dev.evomerge.merge.method;

import static dev.evomerge.merge.method.Inputs.f;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.evomerge.diag.RunException;
import dev.evomerge.merge.CounterRandom;
import dev.evomerge.tensor.Shape;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The sparsifiers of docs/mergekit-semantics.md §2.6 and mergekit's {@code tests/test_sparsify.py}: exact counts
 * for the deterministic ones, seeded statistics for the random ones.
 */
class SparsifierTest {

    private static final CounterRandom.Draws DRAWS = new CounterRandom(1).draws("t", 0);

    private static float[] gaussian(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return v;
    }

    private static long nonzero(float[] v) {
        long c = 0;
        for (float x : v) {
            c += x != 0 ? 1 : 0;
        }
        return c;
    }

    @Test
    void magnitude_densityOne_returnsInputUnchanged() {
        float[] v = gaussian(100, 1);
        float[] copy = v.clone();
        assertFalse(new MagnitudeSparsifier().sparsify(v, Shape.of(100), 1.0, Double.NaN, DRAWS));
        assertArrayEquals(copy, v, 0f);
    }

    @Test
    void magnitude_densityHalf_keepsExactlyHalfTheLargest() {
        float[] v = gaussian(10_001, 2);
        float[] magnitudes = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            magnitudes[i] = Math.abs(v[i]);
        }
        Arrays.sort(magnitudes);
        float[] pruned = v.clone();
        new MagnitudeSparsifier().sparsify(pruned, Shape.of(v.length), 0.5, Double.NaN, DRAWS);
        assertEquals(5000, nonzero(pruned));
        float smallestKept = magnitudes[v.length - 5000];
        for (int i = 0; i < v.length; i++) {
            assertEquals(Math.abs(v[i]) >= smallestKept ? v[i] : 0f, pruned[i], 0f);
        }
    }

    @Test
    void magnitude_densityZero_failsLikeMergekitsAssertion() {
        assertThrows(RunException.class, () -> new MagnitudeSparsifier().check(0.0, Double.NaN, 100, "m:t"));
    }

    @Test
    void outliers_keepsIntOfDensityTimesNumelWhenGammaFits() {
        float[] v = gaussian(1000, 3);
        for (double density : new double[] {0.1, 0.3, 0.5, 0.9}) {
            float[] pruned = v.clone();
            double gamma = 0.1 * (1 - density);
            new OutlierSparsifier().sparsify(pruned, Shape.of(1000), density, gamma, DRAWS);
            assertEquals((long) (density * 1000), nonzero(pruned), "density " + density);
        }
    }

    @Test
    void outliers_bottomBelowZero_cutsFewerOutliers() {
        // n = 10, density 0.9 → target 9, gamma 0.3 → top 3, bottom −2 → top 1, bottom 0: drop only the largest
        float[] v = f(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
        new OutlierSparsifier().sparsify(v, Shape.of(10), 0.9, 0.3, DRAWS);
        assertArrayEquals(f(1, 2, 3, 4, 5, 6, 7, 8, 9, 0), v, 0f);
    }

    @Test
    void outliers_ranges_followPythonSlices() {
        assertArrayEquals(new long[] {8, 18}, OutlierSparsifier.keptRange(20, 0.5, 0.1));
        // 99 elements: target int(48.51) = 48, top int(0.99) = 0, bottom 51: the slice [51:-0] is empty
        assertArrayEquals(new long[] {51, 0}, OutlierSparsifier.keptRange(99, 0.49, 0.01));
    }

    @Test
    void bernoulli_largeTensor_keepsDensityWithinOnePercentAndRescalesL1Exactly() {
        float[] v = gaussian(1_000_000, 4);
        double l1 = Reductions.sumAbs(v);
        for (double density : new double[] {0.1, 0.5, 0.9}) {
            float[] pruned = v.clone();
            assertTrue(new BernoulliSparsifier().sparsify(pruned, Shape.of(v.length), density, Double.NaN, DRAWS));
            double kept = nonzero(pruned) / (double) v.length;
            assertEquals(density, kept, 0.01 * density, "density " + density);
            Sparsifier.rescaleL1(pruned, l1);
            assertEquals(l1, Reductions.sumAbs(pruned), l1 * 1e-6);
        }
    }

    @Test
    void bernoulli_sameSeed_identicalMask_otherSeed_differs() {
        float[] v = gaussian(10_000, 5);
        float[] a = v.clone();
        float[] b = v.clone();
        float[] c = v.clone();
        new BernoulliSparsifier().sparsify(a, Shape.of(v.length), 0.5, Double.NaN, new CounterRandom(9).draws("x", 1));
        new BernoulliSparsifier().sparsify(b, Shape.of(v.length), 0.5, Double.NaN, new CounterRandom(9).draws("x", 1));
        new BernoulliSparsifier().sparsify(c, Shape.of(v.length), 0.5, Double.NaN, new CounterRandom(10).draws("x", 1));
        assertArrayEquals(a, b, 0f);
        assertFalse(Arrays.equals(a, c));
    }

    @Test
    void rescaleL1_tinyNorms_leavesMaskedValues() {
        float[] v = f(1e-9, 0);
        Sparsifier.rescaleL1(v, 1.0);
        assertArrayEquals(f(1e-9, 0), v, 0f);
    }

    @Test
    void della_keepProbability_growsWithRankFromDensityMinusToPlusEpsilon() {
        int rows = 4000;
        int cols = 5;
        float[] v = new float[rows * cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                // magnitudes ascending along the row but stored in scrambled column order
                v[r * cols + (c * 2) % cols] = (c + 1) * (r % 2 == 0 ? 1 : -1);
            }
        }
        float[] pruned = v.clone();
        new DellaSparsifier().sparsify(pruned, Shape.of(rows, cols), 0.5, 0.2, DRAWS);
        for (int rank = 0; rank < cols; rank++) {
            int column = (rank * 2) % cols;
            int kept = 0;
            for (int r = 0; r < rows; r++) {
                kept += pruned[r * cols + column] != 0 ? 1 : 0;
            }
            double expected = 0.3 + rank / 4.0 * 0.4;
            assertEquals(expected, kept / (double) rows, 0.035, "rank " + rank);
        }
    }

    @Test
    void della_epsilonOutOfRange_fails() {
        RunException e = assertThrows(RunException.class,
                () -> new DellaSparsifier().check(0.66, 1.35, 100, "m:t"));
        assertTrue(e.getMessage().contains("outside (0, 1)"), e.getMessage());
        new DellaSparsifier().check(1.0, 1.35, 100, "m:t");
    }

    @Test
    void della_densityZero_zeroesEverything() {
        float[] v = f(1, 2, 3);
        assertTrue(new DellaSparsifier().sparsify(v, Shape.of(3), 0.0, 0.15, DRAWS));
        assertArrayEquals(f(0, 0, 0), v, 0f);
    }

    @Test
    void della_oneDimensionalTensor_isOneRow() {
        float[] v = gaussian(20_000, 6);
        float[] pruned = v.clone();
        new DellaSparsifier().sparsify(pruned, Shape.of(v.length), 0.4, 0.1, DRAWS);
        assertEquals(0.4, nonzero(pruned) / (double) v.length, 0.01);
        assertNotEquals(0, nonzero(pruned));
    }
}
