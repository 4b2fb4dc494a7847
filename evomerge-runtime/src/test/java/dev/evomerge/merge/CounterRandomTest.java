package dev.evomerge.merge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The counter-based generator: a pure function of (seed, tensor, model, element), uniform on [0, 1). */
class CounterRandomTest {

    @Test
    void uniform_sameCoordinates_sameValueFromFreshInstances() {
        assertEquals(new CounterRandom(5).draws("a.weight", 2).uniform(123_456_789L),
                new CounterRandom(5).draws("a.weight", 2).uniform(123_456_789L));
        assertEquals(new CounterRandom(5).draws("a.weight", 2).uniformFloat(77),
                new CounterRandom(5).draws("a.weight", 2).uniformFloat(77));
    }

    @Test
    void draws_eachCoordinateChangesTheStream() {
        double reference = new CounterRandom(5).draws("a.weight", 2).uniform(10);
        assertNotEquals(reference, new CounterRandom(6).draws("a.weight", 2).uniform(10));
        assertNotEquals(reference, new CounterRandom(5).draws("b.weight", 2).uniform(10));
        assertNotEquals(reference, new CounterRandom(5).draws("a.weight", 3).uniform(10));
        assertNotEquals(reference, new CounterRandom(5).draws("a.weight", 2).uniform(11));
    }

    @Test
    void draws_knownValue_isStableAcrossReleases() {
        // Pinned so that a change to the generator (which changes every stochastic merge) is a visible decision.
        assertEquals(7562081234353579368L, new CounterRandom(0).draws("model.embed_tokens.weight", 0).bits(0));
    }

    @Test
    void bits_areSplitMix64StartedAtTheStreamKey() {
        CounterRandom.Draws draws = new CounterRandom(11).draws("k", 1);
        java.util.SplittableRandom reference = new java.util.SplittableRandom(draws.key());
        for (int j = 0; j < 1000; j++) {
            assertEquals(reference.nextLong(), draws.bits(j), "draw " + j);
        }
    }

    @Test
    void uniform_millionDraws_areUniformByChiSquare() {
        CounterRandom.Draws draws = new CounterRandom(1).draws("x", 0);
        int bins = 100;
        int n = 1_000_000;
        long[] counts = new long[bins];
        long[] floatCounts = new long[bins];
        for (int i = 0; i < n; i++) {
            double u = draws.uniform(i);
            float uf = draws.uniformFloat(i);
            assertTrue(u >= 0 && u < 1 && uf >= 0 && uf < 1);
            counts[(int) (u * bins)]++;
            floatCounts[(int) (uf * bins)]++;
        }
        // 99 degrees of freedom: the 99.9% quantile is about 148
        assertTrue(chiSquare(counts, n) < 148, "chi-square " + chiSquare(counts, n));
        assertTrue(chiSquare(floatCounts, n) < 148, "chi-square " + chiSquare(floatCounts, n));
    }

    @Test
    void fillUniform24_anyStart_equalsPerElementDrawsTimes2To24() {
        CounterRandom.Draws draws = new CounterRandom(2).draws("y", 4);
        long below2To32 = (1L << 32) - 3;
        for (long from : new long[] {0, 1, 2, 7, below2To32, 5L << 32}) {
            for (int count : new int[] {0, 1, 2, 5, 64, CounterRandom.CHUNK}) {
                int[] dst = new int[count];
                draws.fillUniform24(from, dst, count);
                for (int k = 0; k < count; k++) {
                    assertEquals(draws.uniformFloat(from + k), dst[k] * 0x1.0p-24f, 0f, "from " + from + " k " + k);
                }
            }
        }
        assertNotEquals(draws.uniformFloat(3), draws.uniformFloat(3 + (1L << 32)));
    }

    @Test
    void fillUniform24_moreThanAChunk_isRefused() {
        CounterRandom.Draws draws = new CounterRandom(2).draws("y", 4);
        assertThrows(IllegalArgumentException.class,
                () -> draws.fillUniform24(0, new int[CounterRandom.CHUNK + 1], CounterRandom.CHUNK + 1));
    }

    @Test
    void uniformFloat_twoModelsOfOneTensor_areUncorrelated() {
        CounterRandom random = new CounterRandom(4);
        CounterRandom.Draws a = random.draws("model.layers.0.mlp.up_proj.weight", 0);
        CounterRandom.Draws b = random.draws("model.layers.0.mlp.up_proj.weight", 1);
        int n = 200_000;
        double sxy = 0;
        int bothBelowHalf = 0;
        for (int i = 0; i < n; i++) {
            sxy += (a.uniformFloat(i) - 0.5) * (b.uniformFloat(i) - 0.5);
            bothBelowHalf += a.uniformFloat(i) < 0.5f && b.uniformFloat(i) < 0.5f ? 1 : 0;
        }
        assertEquals(0, sxy / n / (1.0 / 12), 0.02);
        // two independent coin flips at density 0.5 keep an element in both a quarter of the time
        assertEquals(0.25, (double) bothBelowHalf / n, 0.005);
    }

    @Test
    void uniformFloat_neighbouringElements_areUncorrelated() {
        CounterRandom.Draws draws = new CounterRandom(3).draws("z", 0);
        int n = 200_000;
        double sxy = 0;
        for (int i = 0; i < n; i += 2) {
            sxy += (draws.uniformFloat(i) - 0.5) * (draws.uniformFloat(i + 1) - 0.5);
        }
        double correlation = sxy / (n / 2) / (1.0 / 12);
        assertEquals(0, correlation, 0.02);
    }

    private static double chiSquare(long[] counts, int n) {
        double expected = (double) n / counts.length;
        double chi = 0;
        for (long c : counts) {
            chi += (c - expected) * (c - expected) / expected;
        }
        return chi;
    }
}
