package dev.evomerge.search;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class Xoshiro256Test {

    @Test
    void nextLong_stateOneTwoThreeFour_matchesReferenceOutput() {
        // The reference implementation (xoshiro256starstar.c) from state {1, 2, 3, 4}.
        String[] expected = {"11520", "0", "1509978240", "1215971899390074240", "1216172134540287360",
            "607988272756665600", "16172922978634559625", "8476171486693032832", "10595114339597558777",
            "2904607092377533576"};
        Xoshiro256 r = Xoshiro256.ofState(new long[] {1, 2, 3, 4});
        for (String e : expected) {
            assertEquals(Long.parseUnsignedLong(e), r.nextLong());
        }
    }

    @Test
    void seeded_anySeed_expandsWithSplitMix64() {
        // SplitMix64's reference outputs for seed 1234567.
        long[] expected = {Long.parseUnsignedLong("6457827717110365317"),
            Long.parseUnsignedLong("3203168211198807973"), Long.parseUnsignedLong("9817491932198370423"),
            Long.parseUnsignedLong("4593380528125082431")};
        assertArrayEquals(expected, Xoshiro256.seeded(1234567).state());
    }

    @Test
    void ofState_savedMidStream_continuesIdentically() {
        Xoshiro256 a = Xoshiro256.seeded(9);
        for (int i = 0; i < 37; i++) {
            a.nextGaussian();
            a.nextInt(17);
        }
        Xoshiro256 b = Xoshiro256.ofState(a.state());
        for (int i = 0; i < 1000; i++) {
            assertEquals(Double.doubleToRawLongBits(a.nextGaussian()), Double.doubleToRawLongBits(b.nextGaussian()));
            assertEquals(a.nextInt(1000), b.nextInt(1000));
            assertEquals(a.nextLong(), b.nextLong());
        }
    }

    @Test
    void ofState_allZero_throws() {
        assertThrows(IllegalArgumentException.class, () -> Xoshiro256.ofState(new long[4]));
        assertThrows(IllegalArgumentException.class, () -> Xoshiro256.ofState(new long[3]));
    }

    @Test
    void nextGaussian_manySamples_hasStandardMoments() {
        Xoshiro256 r = Xoshiro256.seeded(5);
        int n = 200_000;
        double sum = 0;
        double sumSq = 0;
        int beyondTwo = 0;
        for (int i = 0; i < n; i++) {
            double g = r.nextGaussian();
            sum += g;
            sumSq += g * g;
            if (Math.abs(g) > 2) {
                beyondTwo++;
            }
        }
        double mean = sum / n;
        double variance = sumSq / n - mean * mean;
        // Standard errors: mean 0.0022, variance 0.0032, tail fraction 0.0005.
        assertEquals(0.0, mean, 0.01);
        assertEquals(1.0, variance, 0.015);
        assertEquals(0.0455, beyondTwo / (double) n, 0.003);
    }

    @Test
    void nextInt_bound_isUniformWithinRange() {
        Xoshiro256 r = Xoshiro256.seeded(11);
        int[] counts = new int[7];
        int n = 70_000;
        for (int i = 0; i < n; i++) {
            counts[r.nextInt(7)]++;
        }
        for (int c : counts) {
            // Expected 10000 each, standard deviation about 93.
            assertEquals(10_000, c, 500);
        }
        for (int i = 0; i < 1000; i++) {
            int v = r.nextInt(-3, 4);
            assertTrue(v >= -3 && v < 4);
            long l = r.nextLong(5_000_000_000L);
            assertTrue(l >= 0 && l < 5_000_000_000L);
            double d = r.nextDouble(2.0, 3.0);
            assertTrue(d >= 2.0 && d < 3.0);
        }
    }

    @Test
    void copy_advancedSeparately_doesNotShareState() {
        Xoshiro256 a = Xoshiro256.seeded(1);
        Xoshiro256 b = a.copy();
        long first = a.nextLong();
        assertEquals(first, b.nextLong());
        a.nextLong();
        assertEquals(a.nextLong(), skip(b, 1).nextLong());
    }

    private static Xoshiro256 skip(Xoshiro256 r, int n) {
        for (int i = 0; i < n; i++) {
            r.nextLong();
        }
        return r;
    }
}
