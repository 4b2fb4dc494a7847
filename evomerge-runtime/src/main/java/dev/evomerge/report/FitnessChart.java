package dev.evomerge.report;

import static dev.evomerge.report.RunReport.esc;
import static dev.evomerge.report.RunReport.num;
import static dev.evomerge.report.Svg.fmt;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;

/**
 * A line chart per generation of a stage: the best and the mean of the fitness, or of one objective, over the
 * candidates that were scored. Stateless.
 */
final class FitnessChart {

    private FitnessChart() {
    }

    /** Appends the chart of the fitness of a stage's evaluations. */
    static void fitness(StringBuilder b, List<HistoryRecord> rows) {
        Map<Long, double[]> gens = perGeneration(rows, r -> r.fitness(), true);
        lineChart(b, "Fitness per generation", "fitness", gens);
    }

    /** Appends the chart of objective {@code i} (named {@code name}), best the largest or, else, the least. */
    static void objective(StringBuilder b, List<HistoryRecord> rows, int i, String name, boolean maximise) {
        Map<Long, double[]> gens = perGeneration(rows, r -> i < r.objectives().length ? r.objectives()[i]
                : Double.NaN, maximise);
        lineChart(b, "Objective " + (i + 1) + ": " + name + (maximise ? "" : " (lower is better)"), name, gens);
    }

    /** Per generation: {best, mean} over the finite values; the best is the largest, or the least. */
    private static Map<Long, double[]> perGeneration(List<HistoryRecord> rows, ToDoubleFunction<HistoryRecord> f,
            boolean maximise) {
        Map<Long, List<Double>> values = new TreeMap<>();
        for (HistoryRecord r : rows) {
            double v = f.applyAsDouble(r);
            if (!r.failed() && Double.isFinite(v)) {
                values.computeIfAbsent(r.generation(), g -> new ArrayList<>()).add(v);
            }
        }
        Map<Long, double[]> out = new TreeMap<>();
        values.forEach((g, vs) -> out.put(g, new double[] {maximise
                ? vs.stream().mapToDouble(Double::doubleValue).max().orElseThrow()
                : vs.stream().mapToDouble(Double::doubleValue).min().orElseThrow(),
                vs.stream().mapToDouble(Double::doubleValue).average().orElseThrow()}));
        return out;
    }

    private static void lineChart(StringBuilder b, String title, String yLabel, Map<Long, double[]> gens) {
        b.append("<figure class=\"chart\"><figcaption>").append(esc(title)).append("</figcaption>\n");
        if (gens.isEmpty()) {
            b.append("<p class=\"empty\">No scored candidate yet.</p></figure>\n");
            return;
        }
        double lo = Double.MAX_VALUE;
        double hi = -Double.MAX_VALUE;
        for (double[] v : gens.values()) {
            lo = Math.min(lo, Math.min(v[0], v[1]));
            hi = Math.max(hi, Math.max(v[0], v[1]));
        }
        long g0 = gens.keySet().iterator().next();
        long g1 = ((TreeMap<Long, double[]>) gens).lastKey();
        ChartScale x = new ChartScale(g0, g1 == g0 ? g0 + 1 : g1, Svg.PAD_L, Svg.W - Svg.PAD_R);
        ChartScale y = ChartScale.nice(lo, hi, Svg.H - Svg.PAD_B, Svg.PAD_T);
        Svg.open(b, "fitness-chart");
        Svg.axes(b, x, y, "generation", yLabel, true);
        for (int s = 1; s >= 0; s--) {
            StringBuilder pts = new StringBuilder();
            for (var e : gens.entrySet()) {
                pts.append(fmt(x.at(e.getKey()))).append(',').append(fmt(y.at(e.getValue()[s]))).append(' ');
            }
            String color = s == 0 ? Svg.SERIES[0] : "#8c959f";
            b.append("<polyline class=\"series\" fill=\"none\" stroke=\"").append(color)
                    .append("\" stroke-width=\"2\"").append(s == 1 ? " stroke-dasharray=\"5 4\"" : "")
                    .append(" points=\"").append(pts.toString().strip()).append("\"/>\n");
            for (var e : gens.entrySet()) {
                b.append("<circle cx=\"").append(fmt(x.at(e.getKey()))).append("\" cy=\"")
                        .append(fmt(y.at(e.getValue()[s]))).append("\" r=\"3\" fill=\"").append(color)
                        .append("\"><title>generation ").append(e.getKey()).append(s == 0 ? ", best " : ", mean ")
                        .append(num(e.getValue()[s])).append("</title></circle>\n");
            }
        }
        Svg.legend(b, List.of("best", "mean"), List.of(Svg.SERIES[0], "#8c959f"));
        b.append("</svg></figure>\n");
    }
}
