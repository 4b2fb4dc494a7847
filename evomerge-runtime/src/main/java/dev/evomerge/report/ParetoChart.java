package dev.evomerge.report;

import static dev.evomerge.report.RunReport.esc;
import static dev.evomerge.report.RunReport.num;
import static dev.evomerge.report.RunReport.numbers;
import static dev.evomerge.report.Svg.fmt;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The Pareto front of a stage with several objectives: every scored candidate on the first two objectives, the
 * non-dominated recipes joined and numbered, and the table of those recipes. Stateless.
 */
final class ParetoChart {

    private ParetoChart() {
    }

    /**
     * Appends the front of a stage's evaluations on their first two objectives, or nothing when none was scored.
     *
     * @param maximise per objective, whether higher is better
     * @param names the objectives' names
     */
    static void append(StringBuilder b, List<HistoryRecord> rows, boolean[] maximise, List<String> names) {
        List<HistoryRecord> scored = rows.stream().filter(r -> !r.failed() && r.objectives().length >= 2
                && Double.isFinite(r.objectives()[0]) && Double.isFinite(r.objectives()[1])).toList();
        if (scored.isEmpty()) {
            return;
        }
        List<HistoryRecord> front = new ArrayList<>();
        Set<String> recipes = new LinkedHashSet<>();
        double[][] points = scored.stream().map(HistoryRecord::objectives).toArray(double[][]::new);
        for (int k = 0; k < points.length; k++) {
            double[] point = points[k];
            boolean dominated = Arrays.stream(points).anyMatch(o -> dominates(o, point, maximise));
            if (!dominated && recipes.add(scored.get(k).recipe())) {
                front.add(scored.get(k));
            }
        }
        front.sort((p, q) -> Double.compare(p.objectives()[0], q.objectives()[0]));
        double x0 = scored.stream().mapToDouble(r -> r.objectives()[0]).min().orElseThrow();
        double x1 = scored.stream().mapToDouble(r -> r.objectives()[0]).max().orElseThrow();
        double y0 = scored.stream().mapToDouble(r -> r.objectives()[1]).min().orElseThrow();
        double y1 = scored.stream().mapToDouble(r -> r.objectives()[1]).max().orElseThrow();
        ChartScale x = ChartScale.nice(x0, x1, Svg.PAD_L, Svg.W - Svg.PAD_R);
        ChartScale y = ChartScale.nice(y0, y1, Svg.H - Svg.PAD_B, Svg.PAD_T);
        b.append("<h3>Pareto front</h3>\n<div class=\"charts\"><figure class=\"chart\"><figcaption>")
                .append(front.size()).append(" non-dominated recipes of ").append(scored.size())
                .append(" scored candidates</figcaption>\n");
        Svg.open(b, "pareto-chart");
        Svg.axes(b, x, y, names.get(0) + (maximise[0] ? " (higher is better)" : " (lower is better)"),
                names.get(1) + (maximise[1] ? " (higher is better)" : " (lower is better)"), false);
        for (HistoryRecord r : scored) {
            b.append("<circle cx=\"").append(fmt(x.at(r.objectives()[0]))).append("\" cy=\"")
                    .append(fmt(y.at(r.objectives()[1]))).append("\" r=\"3\" fill=\"#afb8c1\"/>\n");
        }
        StringBuilder line = new StringBuilder();
        for (HistoryRecord r : front) {
            line.append(fmt(x.at(r.objectives()[0]))).append(',').append(fmt(y.at(r.objectives()[1]))).append(' ');
        }
        b.append("<polyline fill=\"none\" stroke=\"").append(Svg.SERIES[1]).append("\" stroke-width=\"1.5\" points=\"")
                .append(line.toString().strip()).append("\"/>\n");
        int i = 0;
        for (HistoryRecord r : front) {
            i++;
            double cx = x.at(r.objectives()[0]);
            double cy = y.at(r.objectives()[1]);
            b.append("<circle class=\"front\" cx=\"").append(fmt(cx)).append("\" cy=\"").append(fmt(cy))
                    .append("\" r=\"5\" fill=\"").append(Svg.SERIES[1]).append("\"><title>").append(i)
                    .append(": recipe ")
                    .append(r.recipe(), 0, Math.min(12, r.recipe().length())).append(" ")
                    .append(numbers(r.objectives())).append("</title></circle>\n")
                    .append("<text x=\"").append(fmt(cx + 7)).append("\" y=\"").append(fmt(cy - 6))
                    .append("\" class=\"label\">").append(i).append("</text>\n");
        }
        b.append("</svg></figure>\n<table class=\"front\"><tr><th>#</th><th>recipe</th><th>objectives</th>"
                + "<th>fitness</th><th>generation</th></tr>\n");
        i = 0;
        for (HistoryRecord r : front) {
            i++;
            b.append("<tr><td>").append(i).append("</td><td><code>").append(esc(r.recipe(), 16))
                    .append("</code></td><td>")
                    .append(numbers(r.objectives())).append("</td><td>").append(num(r.fitness()))
                    .append("</td><td>")
                    .append(r.generation()).append("</td></tr>\n");
        }
        b.append("</table></div>\n");
    }

    private static boolean dominates(double[] a, double[] b, boolean[] maximise) {
        boolean better = false;
        for (int i = 0; i < Math.min(a.length, b.length); i++) {
            double x = maximise[Math.min(i, maximise.length - 1)] ? a[i] : -a[i];
            double y = maximise[Math.min(i, maximise.length - 1)] ? b[i] : -b[i];
            if (x < y) {
                return false;
            }
            better |= x > y;
        }
        return better;
    }
}
