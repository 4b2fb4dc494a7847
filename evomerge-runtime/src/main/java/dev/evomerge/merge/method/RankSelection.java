package dev.evomerge.merge.method;

/**
 * Selection by rank in linear time, without sorting: a two-pass radix select on the float's bits. Pass one counts
 * the high 16 bits of each key, which fixes the bucket that holds a given rank; pass two counts the low 16 bits of
 * the keys in that bucket, which fixes the exact key. A third pass applies the result.
 *
 * <p>Keys are either the magnitude {@code |x|} (its bits with the sign cleared order like the values) or the
 * signed value (negative floats have their magnitude bits flipped). <b>Ties.</b> Elements are ranked ascending by
 * key; among equal keys the element with the <em>lower</em> flat index counts as the <em>larger</em>. So a top-k
 * keeps the earliest of equal magnitudes, and the ranking is a total order that does not depend on the machine.
 * (mergekit ranks with torch's argsort, which leaves the order of ties unspecified.)
 *
 * <p>Stateless; scratch arrays are allocated per call.
 */
final class RankSelection {

    /** The key of the element at some rank: the key, how many keys are smaller, how many are equal. */
    record Boundary(int key, long less, long equal) {
    }

    private RankSelection() {
    }

    /** A key whose signed int order is the order of |x|. */
    static int magnitudeKey(float x) {
        return Float.floatToRawIntBits(x) & 0x7FFFFFFF;
    }

    /** A key whose signed int order is the order of x (-0 just below +0). */
    static int valueKey(float x) {
        int b = Float.floatToRawIntBits(x);
        return b ^ ((b >> 31) & 0x7FFFFFFF);
    }

    /** The float whose {@link #valueKey} is {@code key}. */
    static float valueOfKey(int key) {
        return Float.intBitsToFloat(key ^ ((key >> 31) & 0x7FFFFFFF));
    }

    private static int key(float x, boolean magnitude) {
        return magnitude ? magnitudeKey(x) : valueKey(x);
    }

    /**
     * The boundaries of the elements at the given ascending ranks (each in {@code [0, n)}) of {@code v[0, n)}.
     */
    static Boundary[] boundaries(float[] v, int n, boolean magnitude, long... ranks) {
        int[] high = new int[1 << 16];
        for (int i = 0; i < n; i++) {
            high[(key(v[i], magnitude) ^ Integer.MIN_VALUE) >>> 16]++;
        }
        Boundary[] out = new Boundary[ranks.length];
        int[] bucket = new int[ranks.length];
        long[] lessBefore = new long[ranks.length];
        for (int r = 0; r < ranks.length; r++) {
            long rank = ranks[r];
            if (rank < 0 || rank >= n) {
                throw new IllegalArgumentException("rank " + rank + " outside [0, " + n + ")");
            }
            long cum = 0;
            int b = 0;
            while (cum + high[b] <= rank) {
                cum += high[b];
                b++;
            }
            bucket[r] = b;
            lessBefore[r] = cum;
        }
        // One low-bits histogram per distinct bucket (a top-k needs one, a rank range at most two).
        int[][] low = new int[ranks.length][];
        for (int r = 0; r < ranks.length; r++) {
            for (int q = 0; q < r && low[r] == null; q++) {
                if (bucket[q] == bucket[r]) {
                    low[r] = low[q];
                }
            }
            if (low[r] == null) {
                low[r] = new int[1 << 16];
                int[] hist = low[r];
                int want = bucket[r];
                for (int i = 0; i < n; i++) {
                    int u = key(v[i], magnitude) ^ Integer.MIN_VALUE;
                    if (u >>> 16 == want) {
                        hist[u & 0xFFFF]++;
                    }
                }
            }
        }
        for (int r = 0; r < ranks.length; r++) {
            int[] hist = low[r];
            long cum = lessBefore[r];
            int d = 0;
            while (cum + hist[d] <= ranks[r]) {
                cum += hist[d];
                d++;
            }
            int key = ((bucket[r] << 16) | d) ^ Integer.MIN_VALUE;
            out[r] = new Boundary(key, cum, hist[d]);
        }
        return out;
    }

    /**
     * Zeroes, in place, every element of {@code v} whose ascending rank is outside {@code [lo, hi)}; returns how
     * many were kept. Ranks at or below 0 and at or above n are open ends.
     */
    static long keepRankRange(float[] v, boolean magnitude, long lo, long hi) {
        int n = v.length;
        if (lo >= hi || lo >= n || hi <= 0) {
            java.util.Arrays.fill(v, 0f);
            return 0;
        }
        boolean cutLow = lo > 0;
        boolean cutHigh = hi < n;
        if (!cutLow && !cutHigh) {
            return n;
        }
        long[] ranks = cutLow && cutHigh ? new long[] {lo, hi} : new long[] {cutLow ? lo : hi};
        Boundary[] b = boundaries(v, n, magnitude, ranks);
        Boundary low = cutLow ? b[0] : null;
        Boundary high = cutHigh ? b[b.length - 1] : null;
        // Of the elements equal to a boundary key, the first (in index order) keptLow/keptHigh have rank >= lo/hi.
        long keptLow = cutLow ? low.equal() - (lo - low.less()) : 0;
        long keptHigh = cutHigh ? high.equal() - (hi - high.less()) : 0;
        int lowKey = cutLow ? low.key() : Integer.MIN_VALUE;
        int highKey = cutHigh ? high.key() : Integer.MAX_VALUE;
        long seenLow = 0;
        long seenHigh = 0;
        long kept = 0;
        for (int i = 0; i < n; i++) {
            int k = key(v[i], magnitude);
            boolean atLeastLo = !cutLow || k > lowKey || (k == lowKey && seenLow++ < keptLow);
            boolean atLeastHi = cutHigh && (k > highKey || (k == highKey && seenHigh++ < keptHigh));
            if (atLeastLo && !atLeastHi) {
                kept++;
            } else {
                v[i] = 0f;
            }
        }
        return kept;
    }
}
