package dev.evomerge.merge.method;

import java.util.Arrays;

/**
 * Keeps the elements whose ascending magnitude rank lies in {@code [lo, hi)} (ties as in {@link RankSelection}), as
 * a {@link Pruning}: observing counts the high bits of every magnitude, preparing finds the boundary magnitudes (the
 * second radix pass) and, only where several elements share a boundary magnitude, the positions the tie rule drops;
 * pruning keeps the magnitudes between the boundaries (both included) without a branch, then drops those positions.
 * A boundary magnitude of 0 needs no positions: zeroing a zero changes nothing.
 *
 * <p>One per task vector; not thread-safe.
 */
final class MagnitudeRange implements Pruning {

    private final int n;
    private final long from;
    private final long to;
    private final int[] high;
    private float lowMagnitude;
    private float highMagnitude = Float.MAX_VALUE;
    /** Positions at a boundary magnitude that the tie rule drops, ascending. */
    private int[] dropped = new int[0];
    private int nextDropped;

    /** Keeps ranks {@code [lo, hi)} of a vector of {@code n} elements; ranks outside [0, n] are open ends. */
    MagnitudeRange(int n, long lo, long hi) {
        this.n = n;
        this.from = Math.max(lo, 0);
        this.to = Math.min(hi, n);
        this.high = cuts() ? new int[RankSelection.BUCKETS] : null;
    }

    /** How many elements are kept. */
    long kept() {
        return Math.max(0, to - from);
    }

    private boolean cuts() {
        return from < to && (from > 0 || to < n);
    }

    @Override
    public void observe(float[] delta, int start, int len) {
        if (high != null) {
            RankSelection.countHigh(high, delta, start, len, true);
        }
    }

    @Override
    public void prepare(float[] delta) {
        if (!cuts()) {
            return;
        }
        boolean cutLow = from > 0;
        boolean cutHigh = to < n;
        long[] ranks = cutLow && cutHigh ? new long[] {from, to} : new long[] {cutLow ? from : to};
        RankSelection.Boundary[] b = RankSelection.boundaries(delta, n, true, high, ranks);
        RankSelection.Boundary low = cutLow ? b[0] : null;
        RankSelection.Boundary up = cutHigh ? b[b.length - 1] : null;
        lowMagnitude = cutLow ? Float.intBitsToFloat(low.key()) : 0f;
        highMagnitude = cutHigh ? Float.intBitsToFloat(up.key()) : Float.MAX_VALUE;
        // Of the elements equal to a boundary magnitude, the first keptLow (keptHigh) in index order rank at or above
        // lo (hi): keep ordinals [keptHigh, keptLow) of the low boundary's equals, drop the first keptHigh of the
        // high boundary's.
        long keptLow = cutLow ? low.equal() - (from - low.less()) : Long.MAX_VALUE;
        long keptHigh = cutHigh ? up.equal() - (to - up.less()) : 0;
        IntList drop = new IntList();
        if (cutLow && cutHigh && low.key() == up.key()) {
            collectOutside(delta, lowMagnitude, keptHigh, keptLow, drop);
        } else {
            if (cutLow && keptLow < low.equal()) {
                collectOutside(delta, lowMagnitude, 0, keptLow, drop);
            }
            if (cutHigh && keptHigh > 0) {
                collectOutside(delta, highMagnitude, keptHigh, Long.MAX_VALUE, drop);
            }
        }
        dropped = drop.sorted();
    }

    @Override
    public void prune(float[] delta, int start, int len) {
        int end = start + len;
        if (from >= to) {
            Arrays.fill(delta, start, end, 0f);
            return;
        }
        if (!cuts()) {
            return;
        }
        // Keep lowMagnitude <= |d| <= highMagnitude, as branch-free factors (the data decides at random).
        float lo = lowMagnitude;
        float hi = highMagnitude;
        if (from > 0 && to < n) {
            for (int i = start; i < end; i++) {
                float a = Math.abs(delta[i]);
                delta[i] *= (1f - Branchless.positive(lo - a)) * (1f - Branchless.positive(a - hi));
            }
        } else if (from > 0) {
            for (int i = start; i < end; i++) {
                delta[i] *= 1f - Branchless.positive(lo - Math.abs(delta[i]));
            }
        } else {
            for (int i = start; i < end; i++) {
                delta[i] *= 1f - Branchless.positive(Math.abs(delta[i]) - hi);
            }
        }
        while (nextDropped < dropped.length && dropped[nextDropped] < end) {
            if (dropped[nextDropped] >= start) {
                delta[dropped[nextDropped]] = 0f;
            }
            nextDropped++;
        }
    }

    /** Adds the positions of magnitude {@code m} whose ordinal among them is outside {@code [keepFrom, keepTo)}. */
    private static void collectOutside(float[] v, float m, long keepFrom, long keepTo, IntList out) {
        if (m == 0f) {
            return;
        }
        long ordinal = 0;
        for (int i = 0; i < v.length; i++) {
            if (Math.abs(v[i]) == m) {
                if (ordinal < keepFrom || ordinal >= keepTo) {
                    out.add(i);
                }
                ordinal++;
            }
        }
    }

    /** A growable int list. */
    private static final class IntList {
        private int[] values = new int[4];
        private int size;

        void add(int v) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = v;
        }

        int[] sorted() {
            int[] out = Arrays.copyOf(values, size);
            Arrays.sort(out);
            return out;
        }
    }
}
