package dev.evomerge.merge.method;

import java.util.Arrays;

/**
 * Keeps the elements whose ascending magnitude rank lies in {@code [lo, hi)} (ties as in {@link RankSelection}), as
 * a {@link Pruning}: observing counts the high bits of every magnitude, preparing finds the boundary magnitudes (the
 * second radix pass, unless the first settled them); pruning keeps the magnitudes between the boundaries (both
 * included) without a branch and, only where several elements share a boundary magnitude, counts those elements in
 * index order and drops the ones the tie rule drops. A boundary magnitude of 0 needs no such count: zeroing a zero
 * changes nothing.
 *
 * <p>Works on a whole task vector ({@link #observe}, {@link #prepare}, {@link #prune} over it in order) or on one
 * that comes a block at a time ({@link #observeBlock} pass 0, then pass 1 unless pass 0's counts {@linkplain
 * RankSelection.Refinement#settled settled} the boundaries, then {@link #pruneBlock}).
 *
 * <p>One per task vector; not thread-safe.
 */
final class MagnitudeRange implements Pruning {

    private final int n;
    private final long from;
    private final long to;
    /** The first radix pass's counts, made when it starts (a kernel made only to see that it exists holds none). */
    private long[] high;
    private RankSelection.Refinement refinement;
    private boolean prepared;
    private float lowMagnitude;
    private float highMagnitude = Float.MAX_VALUE;
    /** Elements of a boundary magnitude whose ordinal among them (in index order) is outside a window drop. */
    private TieWindow[] windows = new TieWindow[0];

    /** The elements of magnitude {@code m}: those with ordinal outside {@code [keepFrom, keepTo)} drop. */
    private static final class TieWindow {
        final float m;
        final long keepFrom;
        final long keepTo;
        long ordinal;

        TieWindow(float m, long keepFrom, long keepTo) {
            this.m = m;
            this.keepFrom = keepFrom;
            this.keepTo = keepTo;
        }

        /** Applies the window to {@code delta[start, end)}, which holds {@code equals} elements of magnitude m. */
        void apply(float[] delta, int start, int end, long equals) {
            // most ranges are all kept or all dropped: the count, made without a branch per element, tells
            if (ordinal >= keepFrom && ordinal + equals <= keepTo) {
                ordinal += equals;
                return;
            }
            if (ordinal + equals <= keepFrom || ordinal >= keepTo) {
                for (int i = start; i < end; i++) {
                    // 0 where |delta| = m, else 1
                    delta[i] *= Math.signum(Math.abs(Math.abs(delta[i]) - m));
                }
                ordinal += equals;
                return;
            }
            for (int i = start; i < end; i++) {
                if (Math.abs(delta[i]) == m) {
                    if (ordinal < keepFrom || ordinal >= keepTo) {
                        delta[i] = 0f;
                    }
                    ordinal++;
                }
            }
        }

        /** How many of {@code delta[start, end)} have magnitude m (an int sum of 0s and 1s, which vectorises). */
        int countEquals(float[] delta, int start, int end) {
            int count = 0;
            for (int i = start; i < end; i++) {
                count += (int) (1f - Math.signum(Math.abs(Math.abs(delta[i]) - m)));
            }
            return count;
        }

        /** Every later element of magnitude m is kept: the window has nothing left to do. */
        boolean keepsTheRest() {
            return ordinal >= keepFrom && keepTo == Long.MAX_VALUE;
        }

        /** Every later element of magnitude m drops (only a window at the low boundary has an end). */
        boolean dropsTheRest() {
            return ordinal >= keepTo;
        }
    }

    /** Keeps ranks {@code [lo, hi)} of a vector of {@code n} elements; ranks outside [0, n] are open ends. */
    MagnitudeRange(int n, long lo, long hi) {
        this.n = n;
        this.from = Math.max(lo, 0);
        this.to = Math.min(hi, n);
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
        if (cuts()) {
            if (high == null) {
                high = new long[RankSelection.BUCKETS];
            }
            RankSelection.countHigh(high, delta, start, len, true);
        }
    }

    @Override
    public void prepare(float[] delta) {
        if (cuts()) {
            RankSelection.Refinement r = refinement();
            if (!r.settled()) {
                r.count(delta, 0, n);
            }
            finish(r.boundaries());
        }
    }

    @Override
    public int blockPasses() {
        return cuts() ? (prepared ? 1 : 2) : 0;
    }

    /** After pass 0, the boundaries when its counts settle them: pass 1 is then not needed. */
    @Override
    public void blockPassDone(int pass) {
        if (pass == 0 && cuts() && refinement().settled()) {
            finish(refinement().boundaries());
        }
    }

    @Override
    public void observeBlock(int pass, float[] block, int start, int len, long absoluteFrom) {
        if (pass == 0) {
            observe(block, start, len);
        } else if (cuts()) {
            refinement().count(block, start, len);
        }
    }

    @Override
    public void pruneBlock(float[] block, int start, int len, long absoluteFrom) {
        if (cuts() && !prepared) {
            finish(refinement().boundaries());
        }
        prune(block, start, len);
    }

    private RankSelection.Refinement refinement() {
        if (refinement == null) {
            boolean cutLow = from > 0;
            boolean cutHigh = to < n;
            long[] ranks = cutLow && cutHigh ? new long[] {from, to} : new long[] {cutLow ? from : to};
            refinement = new RankSelection.Refinement(high, n, true, ranks);
        }
        return refinement;
    }

    /** The boundary magnitudes and, where elements share one, the window of ordinals the tie rule keeps. */
    private void finish(RankSelection.Boundary[] b) {
        prepared = true;
        boolean cutLow = from > 0;
        boolean cutHigh = to < n;
        RankSelection.Boundary low = cutLow ? b[0] : null;
        RankSelection.Boundary up = cutHigh ? b[b.length - 1] : null;
        lowMagnitude = cutLow ? Float.intBitsToFloat(low.key()) : 0f;
        highMagnitude = cutHigh ? Float.intBitsToFloat(up.key()) : Float.MAX_VALUE;
        // Of the elements equal to a boundary magnitude, the first keptLow (keptHigh) in index order rank at or above
        // lo (hi): keep ordinals [keptHigh, keptLow) of the low boundary's equals, drop the first keptHigh of the
        // high boundary's.
        long keptLow = cutLow ? low.equal() - (from - low.less()) : Long.MAX_VALUE;
        long keptHigh = cutHigh ? up.equal() - (to - up.less()) : 0;
        java.util.List<TieWindow> w = new java.util.ArrayList<>(2);
        if (cutLow && cutHigh && low.key() == up.key()) {
            w.add(new TieWindow(lowMagnitude, keptHigh, keptLow));
        } else {
            if (cutLow && keptLow < low.equal()) {
                w.add(new TieWindow(lowMagnitude, 0, keptLow));
            }
            if (cutHigh && keptHigh > 0) {
                w.add(new TieWindow(highMagnitude, keptHigh, Long.MAX_VALUE));
            }
        }
        windows = w.stream().filter(t -> t.m != 0f).toArray(TieWindow[]::new);
        settle();
    }

    /**
     * Retires the windows whose outcome for every later element is known: one that keeps the rest goes; one that
     * drops the rest of the low boundary's equals goes too and the low boundary becomes strict, so that the rest
     * of the vector needs no counting.
     */
    private void settle() {
        int kept = 0;
        for (TieWindow w : windows) {
            if (w.dropsTheRest()) {
                lowMagnitude = Math.nextUp(w.m);
            } else if (!w.keepsTheRest()) {
                windows[kept++] = w;
            }
        }
        if (kept < windows.length) {
            windows = Arrays.copyOf(windows, kept);
        }
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
        // Keep lowMagnitude <= |d| <= highMagnitude, as branch-free factors (the data decides at random): with
        // s = signum(lo - |d|), 1 - (s + |s|)/2 is 0 where |d| < lo, else 1. Only Math's intrinsics appear in these
        // loops, which the JIT always expands and vectorises; a call to a helper it may leave as a call per element
        // when the loop was rarely run at compile time.
        float lo = lowMagnitude;
        float hi = highMagnitude;
        if (from > 0 && to < n) {
            for (int i = start; i < end; i++) {
                float a = Math.abs(delta[i]);
                float below = Math.signum(lo - a);
                float above = Math.signum(a - hi);
                delta[i] *= (1f - 0.5f * (below + Math.abs(below))) * (1f - 0.5f * (above + Math.abs(above)));
            }
        } else if (from > 0 && windows.length == 1) {
            // a top-k whose boundary magnitude lo is shared: the loop that keeps lo and above counts the lo's too
            int equals = 0;
            for (int i = start; i < end; i++) {
                float a = Math.abs(delta[i]);
                float below = Math.signum(lo - a);
                delta[i] *= 1f - 0.5f * (below + Math.abs(below));
                equals += (int) (1f - Math.abs(Math.signum(a - lo)));
            }
            windows[0].apply(delta, start, end, equals);
            settle();
            return;
        } else if (from > 0) {
            for (int i = start; i < end; i++) {
                float below = Math.signum(lo - Math.abs(delta[i]));
                delta[i] *= 1f - 0.5f * (below + Math.abs(below));
            }
        } else {
            for (int i = start; i < end; i++) {
                float above = Math.signum(Math.abs(delta[i]) - hi);
                delta[i] *= 1f - 0.5f * (above + Math.abs(above));
            }
        }
        if (windows.length > 0) {
            for (TieWindow w : windows) {
                w.apply(delta, start, end, w.countEquals(delta, start, end));
            }
            settle();
        }
    }
}
