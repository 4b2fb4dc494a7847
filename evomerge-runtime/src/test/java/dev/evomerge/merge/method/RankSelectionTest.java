package dev.evomerge.merge.method;

import static dev.evomerge.merge.method.Inputs.f;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Linear-time rank selection against a full sort with the documented tie rule. */
class RankSelectionTest {

    /** Keeps ranks [lo, hi) by sorting: ascending |x|, equal magnitudes with the higher index first. */
    private static float[] bySorting(float[] v, boolean magnitude, long lo, long hi) {
        Integer[] order = IntStream.range(0, v.length).boxed().toArray(Integer[]::new);
        Comparator<Integer> byKey = Comparator.comparingDouble(i -> magnitude ? Math.abs(v[i]) : v[i]);
        Arrays.sort(order, byKey.thenComparing(Comparator.<Integer>reverseOrder()));
        float[] out = new float[v.length];
        for (int r = 0; r < order.length; r++) {
            if (r >= lo && r < hi) {
                out[order[r]] = v[order[r]];
            }
        }
        return out;
    }

    @Test
    void keepRankRange_randomValuesWithManyTies_matchesSortingWithTieRule() {
        SplittableRandom random = new SplittableRandom(7);
        for (int trial = 0; trial < 200; trial++) {
            int n = 1 + random.nextInt(300);
            float[] v = new float[n];
            for (int i = 0; i < n; i++) {
                // few distinct magnitudes, both signs, so boundaries fall inside runs of ties
                v[i] = (random.nextInt(7) - 3) * (random.nextBoolean() ? 0.5f : 1e-30f);
            }
            long lo = random.nextInt(n + 2) - 1;
            long hi = random.nextInt(n + 2) - 1;
            float[] expected = bySorting(v, true, lo, hi);
            float[] actual = v.clone();
            long kept = RankSelection.keepRankRange(actual, lo, hi);
            assertArrayEquals(expected, actual, 0f, "trial " + trial + " n=" + n + " [" + lo + "," + hi + ")");
            assertEquals(Math.max(0, Math.min(hi, n) - Math.max(lo, 0)), kept);
        }
    }

    @Test
    void magnitudeRange_prunedInBlocks_matchesSortingWithTieRule() {
        // long runs of ties pruned a block at a time: blocks wholly kept, wholly dropped and split by the tie rule
        SplittableRandom random = new SplittableRandom(11);
        for (int trial = 0; trial < 40; trial++) {
            int n = 5_000 + random.nextInt(20_000);
            float[] v = new float[n];
            for (int i = 0; i < n; i++) {
                v[i] = (random.nextInt(9) - 4) * 0.25f;
            }
            long lo = random.nextInt(n + 2) - 1;
            long hi = trial % 2 == 0 ? n : lo + random.nextInt(n);
            float[] expected = bySorting(v, true, lo, hi);
            float[] actual = v.clone();
            MagnitudeRange range = new MagnitudeRange(n, lo, hi);
            int block = 64 + random.nextInt(3000);
            for (int from = 0; from < n; from += block) {
                range.observe(actual, from, Math.min(block, n - from));
            }
            range.prepare(actual);
            for (int from = 0; from < n; from += block) {
                range.prune(actual, from, Math.min(block, n - from));
            }
            assertArrayEquals(expected, actual, 0f, "trial " + trial + " n=" + n + " [" + lo + "," + hi + ")");
        }
    }

    @Test
    void keepRankRange_equalMagnitudesAtTopK_keepsLowestIndices() {
        float[] v = f(1, -1, 1, 0.5, -1);
        RankSelection.keepRankRange(v, 3, 5);
        assertArrayEquals(f(1, -1, 0, 0, 0), v, 0f);
    }

    @Test
    void boundaries_signedKeys_matchSortedValues() {
        SplittableRandom random = new SplittableRandom(3);
        float[] v = new float[5000];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (random.nextGaussian() * Math.pow(10, random.nextInt(-5, 5)));
        }
        v[17] = -0f;
        v[18] = 0f;
        float[] sorted = v.clone();
        Arrays.sort(sorted);
        for (long rank : new long[] {0, 1, 1249, 2500, 3749, 4999}) {
            RankSelection.Boundary b = RankSelection.boundaries(v, v.length, false, rank)[0];
            assertEquals(sorted[(int) rank], RankSelection.valueOfKey(b.key()), "rank " + rank);
        }
    }

    @Test
    void boundaries_keysSharingHighBits_settledByPassOneOrCounted() {
        // 0.5, 1 and 1.5 have low key bits zero; 1's neighbours share its high 16 bits but not its low ones: a rank
        // among the former is settled by pass one, a rank among the neighbours needs pass two, both give the sorted
        // answer, and both happen
        float[] kinds = {0.5f, 1f, Math.nextUp(1f), 1f + 0x1p-10f, 1.5f};
        SplittableRandom random = new SplittableRandom(5);
        int[] settledCount = new int[2];
        for (int trial = 0; trial < 50; trial++) {
            int n = 1 + random.nextInt(2000);
            float[] v = new float[n];
            for (int i = 0; i < n; i++) {
                v[i] = kinds[random.nextInt(kinds.length)] * (random.nextBoolean() ? 1 : -1);
            }
            float[] sorted = new float[n];
            for (int i = 0; i < n; i++) {
                sorted[i] = Math.abs(v[i]);
            }
            Arrays.sort(sorted);
            long rank = random.nextInt(n);
            long[] high = new long[RankSelection.BUCKETS];
            RankSelection.countHigh(high, v, 0, n, true);
            boolean settled = new RankSelection.Refinement(high, n, true, rank).settled();
            float at = sorted[(int) rank];
            assertEquals((Float.floatToRawIntBits(at) & 0xFFFF) == 0, settled, "trial " + trial + " at " + at);
            settledCount[settled ? 1 : 0]++;
            RankSelection.Boundary b = RankSelection.boundaries(v, n, true, rank)[0];
            long less = IntStream.range(0, n).filter(i -> sorted[i] < at).count();
            long equal = IntStream.range(0, n).filter(i -> sorted[i] == at).count();
            assertEquals(new RankSelection.Boundary(RankSelection.magnitudeKey(at), less, equal), b, "trial " + trial);
        }
        assertEquals(true, settledCount[0] > 5 && settledCount[1] > 5, Arrays.toString(settledCount));
    }

    @Test
    void countHigh_magnitudesAndValues_countEachKeysHighBitsAndTheZeroLowBitsOnes() {
        SplittableRandom rnd = new SplittableRandom(5);
        float[] v = new float[5000];
        float[] edges = {0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE, 1f, -1f, 0x1.02p-9f, -0x1.02p-9f,
            Float.MAX_VALUE, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY};
        for (int i = 0; i < v.length; i++) {
            // bf16-like values (low 16 bits zero), arbitrary bits, and the edges, of both signs
            int bits = rnd.nextInt();
            v[i] = switch (i % 3) {
                case 0 -> Float.intBitsToFloat(bits & 0xFFFF0000);
                case 1 -> Float.intBitsToFloat((bits & 0x7F800000) == 0x7F800000 ? bits & 0xBFFFFFFF : bits);
                default -> edges[rnd.nextInt(edges.length)];
            };
        }
        for (boolean magnitude : new boolean[] {true, false}) {
            long[] expected = new long[RankSelection.BUCKETS];
            for (float x : v) {
                int key = (magnitude ? RankSelection.magnitudeKey(x) : RankSelection.valueKey(x)) ^ Integer.MIN_VALUE;
                expected[key >>> 16] += 1L + ((key & 0xFFFF) == 0 ? 1L << 32 : 0);
            }
            long[] high = new long[RankSelection.BUCKETS];
            RankSelection.countHigh(high, v, 7, v.length - 7, magnitude);
            RankSelection.countHigh(high, v, 0, 7, magnitude);
            assertArrayEquals(expected, high, magnitude ? "magnitudes" : "values");
        }
    }

    @Test
    void valueKey_ordersLikeFloats() {
        float[] values = {Float.NEGATIVE_INFINITY, -3e38f, -1f, -1e-40f, -0f, 0f, 1e-40f, 1f, 3e38f,
                Float.POSITIVE_INFINITY};
        for (int i = 1; i < values.length; i++) {
            assertEquals(-1, Integer.compare(RankSelection.valueKey(values[i - 1]), RankSelection.valueKey(values[i])),
                    values[i - 1] + " < " + values[i]);
            assertEquals(Float.floatToRawIntBits(values[i]),
                    Float.floatToRawIntBits(RankSelection.valueOfKey(RankSelection.valueKey(values[i]))));
        }
    }
}
