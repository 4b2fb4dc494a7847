package dev.evomerge.report;

import static dev.evomerge.report.RunReport.esc;
import static dev.evomerge.report.RunReport.num;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What the report's charts share: the frame of a chart ({@value #W} × {@value #H} pixels with its padding), its axes,
 * ticks and legend, the series' colours, the white-to-blue scale of the heatmaps, and how labels and coordinates
 * are written. Stateless.
 */
final class Svg {

    static final String[] SERIES = {"#1f6feb", "#d1242f", "#1a7f37", "#9a6700", "#8250df", "#bf3989"};
    static final int W = 560;
    static final int H = 260;
    static final int PAD_L = 70;
    static final int PAD_R = 16;
    static final int PAD_T = 26;
    static final int PAD_B = 40;

    private Svg() {
    }

    /** Opens a chart's {@code <svg>} element of the class {@code cls}. */
    static void open(StringBuilder b, String cls) {
        b.append("<svg class=\"").append(cls).append("\" xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(W)
                .append("\" height=\"").append(H).append("\" viewBox=\"0 0 ").append(W).append(' ').append(H)
                .append("\" role=\"img\">\n");
    }

    /** Draws the plot area, the ticks and grid lines, and the axis labels; integer ticks on x for generations. */
    static void axes(StringBuilder b, ChartScale x, ChartScale y, String xLabel, String yLabel, boolean integerX) {
        b.append("<rect x=\"").append(PAD_L).append("\" y=\"").append(PAD_T).append("\" width=\"")
                .append(W - PAD_L - PAD_R).append("\" height=\"").append(H - PAD_T - PAD_B)
                .append("\" fill=\"#fff\" stroke=\"#d0d7de\"/>\n");
        for (double t : y.ticks(5)) {
            b.append("<line x1=\"").append(PAD_L).append("\" x2=\"").append(W - PAD_R).append("\" y1=\"")
                    .append(fmt(y.at(t))).append("\" y2=\"").append(fmt(y.at(t)))
                    .append("\" stroke=\"#eaeef2\"/>\n<text x=\"").append(PAD_L - 6).append("\" y=\"")
                    .append(fmt(y.at(t) + 4)).append("\" text-anchor=\"end\" class=\"tick\">").append(num(t))
                    .append("</text>\n");
        }
        List<Double> xt = integerX ? integerTicks(x) : x.ticks(6);
        for (double t : xt) {
            b.append("<text x=\"").append(fmt(x.at(t))).append("\" y=\"").append(H - PAD_B + 16)
                    .append("\" text-anchor=\"middle\" class=\"tick\">").append(integerX ? Long.toString((long) t)
                            : num(t)).append("</text>\n");
        }
        b.append("<text x=\"").append((PAD_L + W - PAD_R) / 2).append("\" y=\"").append(H - 6)
                .append("\" text-anchor=\"middle\" class=\"axis\">").append(esc(xLabel)).append("</text>\n");
        b.append("<text transform=\"translate(13,").append((PAD_T + H - PAD_B) / 2)
                .append(") rotate(-90)\" text-anchor=\"middle\" class=\"axis\">").append(esc(yLabel))
                .append("</text>\n");
    }

    private static List<Double> integerTicks(ChartScale x) {
        long lo = (long) Math.ceil(x.lo());
        long hi = (long) Math.floor(x.hi());
        long step = Math.max(1, (hi - lo) / 8);
        List<Double> t = new ArrayList<>();
        for (long v = lo; v <= hi; v += step) {
            t.add((double) v);
        }
        return t;
    }

    /** Draws a legend line per series at the top right; the second one dashed, as the mean's series. */
    static void legend(StringBuilder b, List<String> names, List<String> colors) {
        int x = W - PAD_R - 70 * names.size();
        for (int i = 0; i < names.size(); i++) {
            b.append("<line x1=\"").append(x + i * 70).append("\" x2=\"").append(x + i * 70 + 16).append("\" y1=\"")
                    .append(PAD_T - 12).append("\" y2=\"").append(PAD_T - 12).append("\" stroke=\"")
                    .append(colors.get(i)).append("\" stroke-width=\"2\"").append(i == 1 ? " stroke-dasharray=\"5 4\""
                            : "").append("/>\n<text x=\"").append(x + i * 70 + 20).append("\" y=\"")
                    .append(PAD_T - 8).append("\" class=\"tick\">").append(esc(names.get(i))).append("</text>\n");
        }
    }

    /** White (0) to a deep blue (1). */
    static String blue(double v) {
        double t = Math.max(0, Math.min(1, v));
        int r = (int) Math.round(255 + t * (9 - 255));
        int g = (int) Math.round(255 + t * (105 - 255));
        int bb = (int) Math.round(255 + t * (218 - 255));
        return String.format(Locale.ROOT, "#%02x%02x%02x", r, g, bb);
    }

    /** The width the longest of {@code names} takes as a row label. */
    static int labelWidth(List<String> names) {
        return 16 + 7 * names.stream().mapToInt(n -> shortName(n).length()).max().orElse(4);
    }

    /** A model reference as a row label: its last path part, at most 22 characters. */
    static String shortName(String reference) {
        String s = reference.endsWith("/") ? reference.substring(0, reference.length() - 1) : reference;
        int slash = s.lastIndexOf('/');
        String tail = slash >= 0 && s.length() - slash > 1 ? s.substring(slash + 1) : s;
        return tail.length() > 22 ? tail.substring(0, 21) + "…" : tail;
    }

    /** A pixel coordinate: one decimal. */
    static String fmt(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }
}
