package dev.evomerge.search.cmaes;

import dev.evomerge.search.Bounds;

/**
 * How CMA-ES keeps candidates within box bounds: it samples in an unbounded internal space and maps every sample
 * into the box with a smooth, periodic coordinate-wise transformation before the caller sees it; the internal
 * samples drive the update, so no candidate is rejected, resampled or penalised. This is pycma's default
 * {@code BoundTransform} ({@code BoxConstraintsLinQuadTransformation}) as its documentation describes it.
 *
 * <p>For a coordinate with bounds {@code [lb, ub]} and margins {@code al = min((ub - lb) / 2, max(1, |lb|) / 20)},
 * {@code au = min((ub - lb) / 2, max(1, |ub|) / 20)}: the map is the identity on {@code [lb + al, ub - au]},
 * quadratic on {@code [lb - al, lb + al]} (onto {@code [lb, lb + al]}) and on {@code [ub - au, ub + au]} (onto
 * {@code [ub - au, ub]}), continuously differentiable, and extended to the whole line by mirroring at
 * {@code lb - al} and {@code ub + au} (period {@code 2 (ub - lb + al + au)}). A one-sided bound mirrors at its
 * margin only; an unbounded coordinate is left as it is.
 *
 * <p>Immutable and thread-safe.
 */
final class BoxTransform {

    private final double[] lower;
    private final double[] upper;
    private final double[] marginLower;
    private final double[] marginUpper;

    BoxTransform(Bounds bounds) {
        int n = bounds.dimension();
        lower = bounds.lower();
        upper = bounds.upper();
        marginLower = new double[n];
        marginUpper = new double[n];
        for (int i = 0; i < n; i++) {
            double half = (upper[i] - lower[i]) / 2.0;
            marginLower[i] = Double.isFinite(lower[i]) ? Math.min(half, Math.max(1.0, Math.abs(lower[i])) / 20.0) : 0;
            marginUpper[i] = Double.isFinite(upper[i]) ? Math.min(half, Math.max(1.0, Math.abs(upper[i])) / 20.0) : 0;
        }
    }

    /** The in-bounds genome for internal point {@code x}. */
    double[] toBounded(double[] x) {
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = toBounded(i, x[i]);
        }
        return y;
    }

    /** An internal point that maps to the in-bounds genome {@code y} (the inverse on the principal branch). */
    double[] toInternal(double[] y) {
        double[] x = new double[y.length];
        for (int i = 0; i < y.length; i++) {
            x[i] = toInternal(i, y[i]);
        }
        return x;
    }

    private double toBounded(int i, double x) {
        double lb = lower[i];
        double ub = upper[i];
        double al = marginLower[i];
        double au = marginUpper[i];
        boolean hasLower = Double.isFinite(lb);
        boolean hasUpper = Double.isFinite(ub);
        if (!hasLower && !hasUpper) {
            return x;
        }
        // Bring x into the invertible domain [lb - al, ub + au] (or its one-sided version).
        if (hasLower && hasUpper) {
            double start = lb - al;
            double period = 2.0 * (ub - lb + al + au);
            double t = x - start;
            t -= period * Math.floor(t / period);
            if (t > period / 2.0) {
                t = period - t;
            }
            x = start + t;
        } else if (hasLower) {
            if (x < lb - al) {
                x = 2.0 * (lb - al) - x;
            }
        } else if (x > ub + au) {
            x = 2.0 * (ub + au) - x;
        }
        double y;
        if (hasLower && x < lb + al) {
            double d = x - (lb - al);
            y = lb + d * d / (4.0 * al);
        } else if (hasUpper && x > ub - au) {
            double d = x - (ub + au);
            y = ub - d * d / (4.0 * au);
        } else {
            y = x;
        }
        // Rounding must not step outside the box.
        return Math.min(ub, Math.max(lb, y));
    }

    private double toInternal(int i, double y) {
        double lb = lower[i];
        double ub = upper[i];
        if (!(y >= lb && y <= ub)) {
            throw new IllegalArgumentException("coordinate " + i + " = " + y + " is outside [" + lb + ", " + ub + "]");
        }
        double al = marginLower[i];
        double au = marginUpper[i];
        if (Double.isFinite(lb) && y < lb + al) {
            return lb - al + 2.0 * Math.sqrt(al * (y - lb));
        }
        if (Double.isFinite(ub) && y > ub - au) {
            return ub + au - 2.0 * Math.sqrt(au * (ub - y));
        }
        return y;
    }
}
