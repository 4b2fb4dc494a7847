package dev.evomerge.report;

import static dev.evomerge.report.RunReport.esc;
import static dev.evomerge.report.RunReport.num;

import dev.evomerge.search.space.ParameterSpace;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The best parameter-space genome as heatmaps, one per parameter (and filter): a row per model, a column per layer
 * group, the value as the colour's intensity. The genome's layout comes from the {@link ParameterSpace} rebuilt
 * from the config; without it the section says how to draw it. Stateless.
 */
final class GenomeHeatmap {

    private GenomeHeatmap() {
    }

    /** Appends the heatmaps of the best evaluation's genome, or how to draw them when the space is unknown. */
    static void append(StringBuilder b, HistoryRecord best, Optional<ParameterSpace> space) {
        b.append("<h3>Parameters of the best recipe</h3>\n");
        if (space.isEmpty() || space.get().dimension() != best.genome().length) {
            b.append("<p class=\"empty\">The genome's layout comes from the evolve config: draw the report with it"
                    + " (<code>evomerge report WORK_DIR --config FILE</code>) to see the models × layer groups."
                    + "</p>\n");
            return;
        }
        ParameterSpace ps = space.get();
        int g = ps.groups();
        int m = ps.models();
        int s = ps.parameterSets();
        int p = ps.genesPerSet();
        List<String> sets = new ArrayList<>(ps.definition().filters());
        sets.add("all other tensors");
        List<String> models = ps.definition().models().stream().map(x -> x.reference().toString()).toList();
        b.append("<p class=\"meta\">Candidate ").append(best.index()).append(" of generation ")
                .append(best.generation()).append(", fitness ").append(num(best.fitness())).append(", recipe <code>")
                .append(esc(best.recipe(), 16)).append("</code>. Rows: models; columns: layer groups of ")
                .append(ps.layerCount() / g).append(" layers.</p>\n<div class=\"charts\">\n");
        double[] genome = best.genome();
        for (int set = 0; set < s; set++) {
            for (int gene = 0; gene < p; gene++) {
                String name = ps.method().genes().get(gene) + (s > 1 ? " — " + sets.get(set) : "");
                int cell = Math.max(18, Math.min(56, 480 / g));
                int left = Svg.labelWidth(models);
                int width = left + g * cell + 20;
                int height = 36 + m * 28 + 24;
                b.append("<figure class=\"chart\"><figcaption>").append(esc(name)).append("</figcaption>\n")
                        .append("<svg class=\"heatmap\" xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(width)
                        .append("\" height=\"").append(height).append("\" viewBox=\"0 0 ").append(width).append(' ')
                        .append(height).append("\" role=\"img\">\n");
                for (int model = 0; model < m; model++) {
                    int yy = 20 + model * 28;
                    b.append("<text x=\"").append(left - 6).append("\" y=\"").append(yy + 18)
                            .append("\" text-anchor=\"end\" class=\"tick\">")
                            .append(esc(Svg.shortName(models.get(model))))
                            .append("</text>\n");
                    for (int group = 0; group < g; group++) {
                        double v = genome[((group * m + model) * s + set) * p + gene];
                        double shown = Math.abs(v);
                        b.append("<rect class=\"cell\" x=\"").append(left + group * cell).append("\" y=\"").append(yy)
                                .append("\" width=\"").append(cell - 2).append("\" height=\"26\" fill=\"")
                                .append(Svg.blue(Math.min(1, shown))).append("\"><title>")
                                .append(esc(models.get(model)))
                                .append(", layers ").append(group * (ps.layerCount() / g)).append('–')
                                .append((group + 1) * (ps.layerCount() / g) - 1).append(": ").append(num(v))
                                .append("</title></rect>\n");
                        if (cell >= 34) {
                            b.append("<text x=\"").append(left + group * cell + (cell - 2) / 2).append("\" y=\"")
                                    .append(yy + 17).append("\" text-anchor=\"middle\" class=\"cellv\" fill=\"")
                                    .append(shown > 0.55 ? "#fff" : "#1f2328").append("\">")
                                    .append(String.format(Locale.ROOT, "%.2f", v)).append("</text>\n");
                        }
                    }
                }
                for (int group = 0; group < g; group++) {
                    if (g <= 16 || group % Math.max(1, g / 8) == 0) {
                        b.append("<text x=\"").append(left + group * cell + (cell - 2) / 2).append("\" y=\"")
                                .append(20 + m * 28 + 14).append("\" text-anchor=\"middle\" class=\"tick\">")
                                .append(group).append("</text>\n");
                    }
                }
                b.append("</svg></figure>\n");
            }
        }
        b.append("</div>\n");
    }
}
