package dev.evomerge.report;

import static dev.evomerge.report.RunReport.esc;
import static dev.evomerge.report.RunReport.num;

import dev.evomerge.dataflow.LayerPath;
import dev.evomerge.search.space.DataFlowSpace;
import java.util.List;
import java.util.Optional;

/**
 * The best data-flow path: a column per step, its row the model whose layer runs there (the layer's index in the
 * cell), its colour the scale applied. Decoded with the {@link DataFlowSpace} rebuilt from the config; without it
 * the section says how to draw it. Stateless.
 */
final class PathChart {

    private PathChart() {
    }

    /**
     * Appends the path of the best evaluation's genome, or why it cannot be drawn.
     *
     * @param names the data-flow models, in the order of the path's model indices
     */
    static void append(StringBuilder b, HistoryRecord best, Optional<DataFlowSpace> space, List<String> names) {
        b.append("<h3>Data-flow path of the best recipe</h3>\n");
        if (space.isEmpty() || space.get().dimension() != best.genome().length) {
            b.append("<p class=\"empty\">The path is decoded with the evolve config: draw the report with it"
                    + " (<code>evomerge report WORK_DIR --config FILE</code>).</p>\n");
            return;
        }
        LayerPath path;
        try {
            path = space.get().decode(best.genome());
        } catch (RuntimeException e) {
            b.append("<p class=\"empty\">The best genome does not decode: ").append(esc(e.getMessage()))
                    .append("</p>\n");
            return;
        }
        int steps = path.size();
        int m = names.size();
        int cell = Math.max(8, Math.min(28, 900 / Math.max(1, steps)));
        int left = Svg.labelWidth(names);
        int width = left + steps * cell + 20;
        int height = 20 + m * 30 + 30;
        b.append("<p class=\"meta\">Candidate ").append(best.index()).append(" of generation ")
                .append(best.generation()).append(", fitness ").append(num(best.fitness())).append(": ").append(steps)
                .append(" steps. Each column is a step, its row the model whose layer runs there (the layer's index in"
                        + " the cell), its colour the scale applied (white 0, darkest ")
                .append(num(DataFlowSpace.SCALE_MAX)).append(").</p>\n");
        b.append("<div class=\"charts\"><figure class=\"chart wide\"><figcaption>Path (steps × models)"
                + "</figcaption>\n")
                .append("<svg class=\"dfs-path\" xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(width)
                .append("\" height=\"").append(height).append("\" viewBox=\"0 0 ").append(width).append(' ')
                .append(height).append("\" role=\"img\">\n");
        for (int model = 0; model < m; model++) {
            int yy = 10 + model * 30;
            b.append("<rect x=\"").append(left).append("\" y=\"").append(yy).append("\" width=\"")
                    .append(steps * cell).append("\" height=\"28\" fill=\"#f6f8fa\"/>\n");
            b.append("<text x=\"").append(left - 6).append("\" y=\"").append(yy + 18)
                    .append("\" text-anchor=\"end\" class=\"tick\">").append(esc(Svg.shortName(names.get(model))))
                    .append("</text>\n");
        }
        for (int t = 0; t < steps; t++) {
            LayerPath.Step step = path.step(t);
            int yy = 10 + step.model() * 30;
            double intensity = Math.min(1, Math.max(0, step.scale() / DataFlowSpace.SCALE_MAX));
            b.append("<rect class=\"cell\" x=\"").append(left + t * cell).append("\" y=\"").append(yy)
                    .append("\" width=\"").append(cell - 1).append("\" height=\"28\" fill=\"")
                    .append(Svg.blue(0.15 + 0.85 * intensity)).append("\"><title>step ").append(t).append(": ")
                    .append(esc(names.get(step.model()))).append(" layer ").append(step.layer()).append(", scale ")
                    .append(num(step.scale())).append("</title></rect>\n");
            if (cell >= 18) {
                b.append("<text x=\"").append(left + t * cell + (cell - 1) / 2).append("\" y=\"").append(yy + 18)
                        .append("\" text-anchor=\"middle\" class=\"cellv\" fill=\"")
                        .append(intensity > 0.45 ? "#fff" : "#1f2328").append("\">").append(step.layer())
                        .append("</text>\n");
            }
        }
        for (int t = 0; t < steps; t += Math.max(1, steps / 12)) {
            b.append("<text x=\"").append(left + t * cell + cell / 2).append("\" y=\"").append(10 + m * 30 + 16)
                    .append("\" text-anchor=\"middle\" class=\"tick\">").append(t).append("</text>\n");
        }
        b.append("</svg></figure></div>\n");
    }
}
