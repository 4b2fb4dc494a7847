package dev.evomerge.report;

import java.util.ArrayList;
import java.util.List;

/**
 * A linear map from data to pixels: {@code lo} to {@code from}, {@code hi} to {@code to}.
 *
 * @param lo the lowest value shown
 * @param hi the highest value shown
 * @param from the pixel of {@code lo}
 * @param to the pixel of {@code hi}
 */
record ChartScale(double lo, double hi, double from, double to) {

    /** The pixel of {@code v}. */
    double at(double v) {
        return from + (v - lo) / (hi - lo) * (to - from);
    }

    /** A scale over {@code [lo, hi]} with a margin of 6 % each side (and some width when they are equal). */
    static ChartScale nice(double lo, double hi, double from, double to) {
        if (!(hi > lo)) {
            double d = Math.max(1e-9, Math.abs(lo) * 0.05 + 1e-3);
            lo -= d;
            hi += d;
        }
        double pad = (hi - lo) * 0.06;
        return new ChartScale(lo - pad, hi + pad, from, to);
    }

    /** About {@code n} round values between {@code lo} and {@code hi}. */
    List<Double> ticks(int n) {
        double step = niceStep((hi - lo) / n);
        List<Double> t = new ArrayList<>();
        for (double v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) {
            t.add(Math.abs(v) < step * 1e-9 ? 0 : v);
        }
        return t;
    }

    private static double niceStep(double raw) {
        double p = Math.pow(10, Math.floor(Math.log10(raw)));
        double f = raw / p;
        return (f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10) * p;
    }
}
