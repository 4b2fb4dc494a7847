package dev.evomerge.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.evomerge.diag.InputException;
import dev.evomerge.dataflow.LayerPath;
import dev.evomerge.search.space.DataFlowSpace;
import dev.evomerge.search.space.ParameterSpace;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The report of an evolve run, {@code report/index.html} in its work directory: one self-contained page (inline SVG
 * and CSS, no script, nothing fetched) with the fitness per generation (best, mean, and each objective), the Pareto
 * front of a search with several objectives with each point's recipe, a heatmap of the best parameter-space genome
 * (models × layer groups, per parameter), the best data-flow path (steps × models, the scale as the colour's
 * intensity), and the table of the sources, the untuned merge and the chosen recipe on every split.
 *
 * <p>It reads {@code history.jsonl} and, once the run has ended, {@code summary.json}, so it can be drawn again at
 * any time for a running or stopped run; the genome spaces ({@link RunSpaces}), rebuilt from the config, name the
 * genes and decode the data-flow path.
 *
 * <p>Stateless and thread-safe.
 */
public final class RunReport {

    /** The report's directory in the work directory. */
    public static final String DIRECTORY = "report";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] SERIES = {"#1f6feb", "#d1242f", "#1a7f37", "#9a6700", "#8250df", "#bf3989"};
    private static final int W = 560;
    private static final int H = 260;
    private static final int PAD_L = 70;
    private static final int PAD_R = 16;
    private static final int PAD_T = 26;
    private static final int PAD_B = 40;

    private RunReport() {
    }

    /** One line of history.jsonl, as the report needs it. */
    record Row(String stage, long generation, int candidate, double[] genome, String recipe, double[] objectives,
            double fitness, boolean failed) {
    }

    /**
     * Writes {@code work/report/index.html} (through a temporary file and a rename) and returns its path.
     *
     * @throws InputException when the directory holds no evolve run ({@code history.jsonl})
     */
    public static Path write(Path work, RunSpaces spaces) {
        String html = render(work, spaces);
        Path dir = work.resolve(DIRECTORY);
        Path file = dir.resolve("index.html");
        try {
            Files.createDirectories(dir);
            Path temp = dir.resolve("index.html.tmp");
            Files.writeString(temp, html, StandardCharsets.UTF_8);
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
        return file;
    }

    /** The page for the run in {@code work}. */
    public static String render(Path work, RunSpaces spaces) {
        Path historyFile = work.resolve("history.jsonl");
        if (!Files.isRegularFile(historyFile)) {
            throw new InputException(work, "holds no evolve run (it has no history.jsonl)",
                    "give the work directory of an evolve run (Maven: target/evomerge)");
        }
        List<Row> rows = history(historyFile);
        Optional<JsonNode> summary = summary(work.resolve("summary.json"));
        StringBuilder b = new StringBuilder(64 * 1024);
        b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n")
                .append("<title>evomerge run report</title>\n")
                .append("<style>").append(CSS).append("</style></head><body>\n");
        b.append("<h1>evomerge run report</h1>\n<p class=\"meta\">").append(esc(work.toString())).append(" · ");
        b.append(rows.size()).append(" evaluations");
        long failed = rows.stream().filter(Row::failed).count();
        if (failed > 0) {
            b.append(" (").append(failed).append(" failed)");
        }
        b.append(" · ").append(summary.isPresent() ? "finished" : "running or stopped (no summary.json yet)");
        summary.map(s -> s.path("wall_seconds")).filter(JsonNode::isNumber)
                .ifPresent(s -> b.append(" · ").append(s.asText()).append(" s"));
        b.append("</p>\n");
        if (rows.isEmpty()) {
            b.append("<p>No generation has finished yet.</p>\n");
        }
        for (String stage : stages(rows)) {
            List<Row> of = rows.stream().filter(r -> r.stage().equals(stage)).toList();
            b.append("<h2>").append(stage.equals("ps") ? "Parameter space" : stage.equals("dfs") ? "Data-flow space"
                    : esc(stage)).append("</h2>\n<div class=\"charts\">\n");
            fitnessChart(b, of);
            int objectives = of.stream().mapToInt(r -> r.objectives().length).max().orElse(0);
            List<String> names = objectiveNames(objectives, stage, spaces);
            boolean[] maximise = directions(Math.max(1, objectives), stage, spaces);
            if (objectives > 1) {
                for (int i = 0; i < objectives; i++) {
                    if (!names.get(i).equals("fitness")) {
                        objectiveChart(b, of, i, names.get(i), maximise[i]);
                    }
                }
            }
            b.append("</div>\n");
            if (objectives > 1) {
                pareto(b, of, maximise, names);
            }
            Optional<Row> best = of.stream().filter(r -> !r.failed()).max((x, y) -> Double.compare(x.fitness(),
                    y.fitness()));
            if (best.isPresent() && stage.equals("ps")) {
                heatmap(b, best.get(), spaces.ps());
            }
            if (best.isPresent() && stage.equals("dfs")) {
                path(b, best.get(), spaces.dfs(), spaces.dfsModels());
            }
        }
        summary.ifPresent(s -> table(b, s));
        b.append("<p class=\"meta\">Drawn from history.jsonl").append(summary.isPresent() ? " and summary.json" : "")
                .append(" by <code>evomerge report</code>.</p>\n</body></html>\n");
        return b.toString();
    }

    private static List<String> stages(List<Row> rows) {
        Set<String> s = new LinkedHashSet<>();
        rows.forEach(r -> s.add(r.stage()));
        return List.copyOf(s);
    }

    private static boolean[] directions(int objectives, String stage, RunSpaces spaces) {
        boolean[] maximise = new boolean[objectives];
        java.util.Arrays.fill(maximise, true);
        if (spaces.pathLengthObjective() && stage.equals("dfs")) {
            maximise[objectives - 1] = false;
        }
        return maximise;
    }

    // ---- charts

    private static void fitnessChart(StringBuilder b, List<Row> rows) {
        Map<Long, double[]> gens = perGeneration(rows, r -> r.fitness(), true);
        lineChart(b, "Fitness per generation", "fitness", gens);
    }

    private static void objectiveChart(StringBuilder b, List<Row> rows, int i, String name, boolean maximise) {
        Map<Long, double[]> gens = perGeneration(rows, r -> i < r.objectives().length ? r.objectives()[i]
                : Double.NaN, maximise);
        lineChart(b, "Objective " + (i + 1) + ": " + name + (maximise ? "" : " (lower is better)"), name, gens);
    }

    /** The objectives' names: the config's objective tasks (or fitness), then the path length when searched. */
    private static List<String> objectiveNames(int objectives, String stage, RunSpaces spaces) {
        List<String> names = new ArrayList<>(spaces.objectives());
        if (names.isEmpty()) {
            names.add("fitness");
        }
        if (spaces.pathLengthObjective() && stage.equals("dfs")) {
            names.add("path length");
        }
        while (names.size() < objectives) {
            names.add("objective " + (names.size() + 1));
        }
        return names;
    }

    /** Per generation: {best, mean} over the finite values; the best is the largest, or the least. */
    private static Map<Long, double[]> perGeneration(List<Row> rows, java.util.function.ToDoubleFunction<Row> f,
            boolean maximise) {
        Map<Long, List<Double>> values = new TreeMap<>();
        for (Row r : rows) {
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
        Scale x = new Scale(g0, g1 == g0 ? g0 + 1 : g1, PAD_L, W - PAD_R);
        Scale y = Scale.nice(lo, hi, H - PAD_B, PAD_T);
        svgOpen(b, "fitness-chart");
        axes(b, x, y, "generation", yLabel, true);
        for (int s = 1; s >= 0; s--) {
            StringBuilder pts = new StringBuilder();
            for (var e : gens.entrySet()) {
                pts.append(fmt(x.at(e.getKey()))).append(',').append(fmt(y.at(e.getValue()[s]))).append(' ');
            }
            String color = s == 0 ? SERIES[0] : "#8c959f";
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
        legend(b, List.of("best", "mean"), List.of(SERIES[0], "#8c959f"));
        b.append("</svg></figure>\n");
    }

    private static void pareto(StringBuilder b, List<Row> rows, boolean[] maximise, List<String> names) {
        List<Row> scored = rows.stream().filter(r -> !r.failed() && r.objectives().length >= 2
                && Double.isFinite(r.objectives()[0]) && Double.isFinite(r.objectives()[1])).toList();
        if (scored.isEmpty()) {
            return;
        }
        List<Row> front = new ArrayList<>();
        Set<String> recipes = new LinkedHashSet<>();
        for (Row r : scored) {
            boolean dominated = scored.stream().anyMatch(o -> dominates(o.objectives(), r.objectives(), maximise));
            if (!dominated && recipes.add(r.recipe())) {
                front.add(r);
            }
        }
        front.sort((p, q) -> Double.compare(p.objectives()[0], q.objectives()[0]));
        double x0 = scored.stream().mapToDouble(r -> r.objectives()[0]).min().orElseThrow();
        double x1 = scored.stream().mapToDouble(r -> r.objectives()[0]).max().orElseThrow();
        double y0 = scored.stream().mapToDouble(r -> r.objectives()[1]).min().orElseThrow();
        double y1 = scored.stream().mapToDouble(r -> r.objectives()[1]).max().orElseThrow();
        Scale x = Scale.nice(x0, x1, PAD_L, W - PAD_R);
        Scale y = Scale.nice(y0, y1, H - PAD_B, PAD_T);
        b.append("<h3>Pareto front</h3>\n<div class=\"charts\"><figure class=\"chart\"><figcaption>")
                .append(front.size()).append(" non-dominated recipes of ").append(scored.size())
                .append(" scored candidates</figcaption>\n");
        svgOpen(b, "pareto-chart");
        axes(b, x, y, names.get(0) + (maximise[0] ? " (higher is better)" : " (lower is better)"),
                names.get(1) + (maximise[1] ? " (higher is better)" : " (lower is better)"), false);
        for (Row r : scored) {
            b.append("<circle cx=\"").append(fmt(x.at(r.objectives()[0]))).append("\" cy=\"")
                    .append(fmt(y.at(r.objectives()[1]))).append("\" r=\"3\" fill=\"#afb8c1\"/>\n");
        }
        StringBuilder line = new StringBuilder();
        for (Row r : front) {
            line.append(fmt(x.at(r.objectives()[0]))).append(',').append(fmt(y.at(r.objectives()[1]))).append(' ');
        }
        b.append("<polyline fill=\"none\" stroke=\"").append(SERIES[1]).append("\" stroke-width=\"1.5\" points=\"")
                .append(line.toString().strip()).append("\"/>\n");
        int i = 0;
        for (Row r : front) {
            i++;
            double cx = x.at(r.objectives()[0]);
            double cy = y.at(r.objectives()[1]);
            b.append("<circle class=\"front\" cx=\"").append(fmt(cx)).append("\" cy=\"").append(fmt(cy))
                    .append("\" r=\"5\" fill=\"").append(SERIES[1]).append("\"><title>").append(i).append(": recipe ")
                    .append(r.recipe(), 0, Math.min(12, r.recipe().length())).append(" ")
                    .append(numbers(r.objectives())).append("</title></circle>\n")
                    .append("<text x=\"").append(fmt(cx + 7)).append("\" y=\"").append(fmt(cy - 6))
                    .append("\" class=\"label\">").append(i).append("</text>\n");
        }
        b.append("</svg></figure>\n<table class=\"front\"><tr><th>#</th><th>recipe</th><th>objectives</th>"
                + "<th>fitness</th><th>generation</th></tr>\n");
        i = 0;
        for (Row r : front) {
            i++;
            b.append("<tr><td>").append(i).append("</td><td><code>").append(esc(r.recipe(), 16))
                    .append("</code></td><td>")
                    .append(numbers(r.objectives())).append("</td><td>").append(num(r.fitness())).append("</td><td>")
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

    private static void heatmap(StringBuilder b, Row best, Optional<ParameterSpace> space) {
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
        b.append("<p class=\"meta\">Candidate ").append(best.candidate()).append(" of generation ")
                .append(best.generation()).append(", fitness ").append(num(best.fitness())).append(", recipe <code>")
                .append(esc(best.recipe(), 16)).append("</code>. Rows: models; columns: layer groups of ")
                .append(ps.layerCount() / g).append(" layers.</p>\n<div class=\"charts\">\n");
        double[] genome = best.genome();
        for (int set = 0; set < s; set++) {
            for (int gene = 0; gene < p; gene++) {
                String name = ps.method().genes().get(gene) + (s > 1 ? " — " + sets.get(set) : "");
                int cell = Math.max(18, Math.min(56, 480 / g));
                int left = labelWidth(models);
                int width = left + g * cell + 20;
                int height = 36 + m * 28 + 24;
                b.append("<figure class=\"chart\"><figcaption>").append(esc(name)).append("</figcaption>\n")
                        .append("<svg class=\"heatmap\" xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(width)
                        .append("\" height=\"").append(height).append("\" viewBox=\"0 0 ").append(width).append(' ')
                        .append(height).append("\" role=\"img\">\n");
                for (int model = 0; model < m; model++) {
                    int yy = 20 + model * 28;
                    b.append("<text x=\"").append(left - 6).append("\" y=\"").append(yy + 18)
                            .append("\" text-anchor=\"end\" class=\"tick\">").append(esc(shortName(models.get(model))))
                            .append("</text>\n");
                    for (int group = 0; group < g; group++) {
                        double v = genome[((group * m + model) * s + set) * p + gene];
                        double shown = Math.abs(v);
                        b.append("<rect class=\"cell\" x=\"").append(left + group * cell).append("\" y=\"").append(yy)
                                .append("\" width=\"").append(cell - 2).append("\" height=\"26\" fill=\"")
                                .append(blue(Math.min(1, shown))).append("\"><title>").append(esc(models.get(model)))
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

    private static void path(StringBuilder b, Row best, Optional<DataFlowSpace> space, List<String> names) {
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
        int left = labelWidth(names);
        int width = left + steps * cell + 20;
        int height = 20 + m * 30 + 30;
        b.append("<p class=\"meta\">Candidate ").append(best.candidate()).append(" of generation ")
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
                    .append("\" text-anchor=\"end\" class=\"tick\">").append(esc(shortName(names.get(model))))
                    .append("</text>\n");
        }
        for (int t = 0; t < steps; t++) {
            LayerPath.Step step = path.step(t);
            int yy = 10 + step.model() * 30;
            double intensity = Math.min(1, Math.max(0, step.scale() / DataFlowSpace.SCALE_MAX));
            b.append("<rect class=\"cell\" x=\"").append(left + t * cell).append("\" y=\"").append(yy)
                    .append("\" width=\"").append(cell - 1).append("\" height=\"28\" fill=\"")
                    .append(blue(0.15 + 0.85 * intensity)).append("\"><title>step ").append(t).append(": ")
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

    // ---- the table

    private static void table(StringBuilder b, JsonNode summary) {
        List<String[]> candidates = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = summary.path("sources").fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            candidates.add(new String[] {"source " + e.getKey(), e.getKey()});
        }
        Map<String, JsonNode> nodes = new LinkedHashMap<>();
        summary.path("sources").fields().forEachRemaining(e -> nodes.put("source " + e.getKey(), e.getValue()));
        if (summary.has("untuned_merge")) {
            nodes.put("untuned merge", summary.get("untuned_merge"));
        }
        if (summary.has("best")) {
            nodes.put("chosen recipe", summary.get("best"));
        }
        if (nodes.isEmpty()) {
            return;
        }
        List<String> roles = List.of("search", "validation", "test");
        Set<String> metrics = new LinkedHashSet<>();
        for (JsonNode n : nodes.values()) {
            for (String role : roles) {
                n.path(role).path("scores").fields().forEachRemaining(t -> t.getValue().fieldNames()
                        .forEachRemaining(mm -> metrics.add(t.getKey() + " " + mm)));
            }
        }
        b.append("<h2>Sources, untuned merge and chosen recipe</h2>\n<table class=\"scores\"><tr><th rowspan=\"2\">"
                + "model</th>");
        for (String role : roles) {
            b.append("<th colspan=\"").append(metrics.size() + 1).append("\">").append(role).append(" split</th>");
        }
        b.append("</tr>\n<tr>");
        for (int r = 0; r < roles.size(); r++) {
            b.append("<th>fitness</th>");
            metrics.forEach(mm -> b.append("<th>").append(esc(mm)).append("</th>"));
        }
        b.append("</tr>\n");
        Map<String, Double> bestPerColumn = new LinkedHashMap<>();
        for (JsonNode n : nodes.values()) {
            for (String role : roles) {
                double f = n.path(role).path("fitness").asDouble(Double.NaN);
                if (Double.isFinite(f)) {
                    bestPerColumn.merge(role, f, Math::max);
                }
            }
        }
        for (var e : nodes.entrySet()) {
            b.append("<tr").append(e.getKey().equals("chosen recipe") ? " class=\"chosen\"" : "").append("><th>")
                    .append(esc(e.getKey())).append("</th>");
            for (String role : roles) {
                JsonNode r = e.getValue().path(role);
                double f = r.path("fitness").asDouble(Double.NaN);
                boolean top = Double.isFinite(f) && f == bestPerColumn.getOrDefault(role, Double.NaN);
                b.append("<td").append(top ? " class=\"top\"" : "").append(">")
                        .append(r.has("error") ? "failed" : num(f)).append("</td>");
                for (String mm : metrics) {
                    String[] tm = mm.split(" ", 2);
                    JsonNode v = r.path("scores").path(tm[0]).path(tm[1]);
                    b.append("<td>").append(v.isNumber() ? num(v.asDouble()) : "–").append("</td>");
                }
            }
            b.append("</tr>\n");
        }
        b.append("</table>\n");
        JsonNode best = summary.path("best");
        if (best.has("recipe")) {
            b.append("<p class=\"meta\">Chosen recipe <code>").append(esc(best.get("recipe").asText()))
                    .append("</code> (best.yml).</p>\n");
        }
    }

    // ---- drawing helpers

    /** A linear map from data to pixels. */
    private record Scale(double lo, double hi, double from, double to) {
        double at(double v) {
            return from + (v - lo) / (hi - lo) * (to - from);
        }

        static Scale nice(double lo, double hi, double from, double to) {
            if (!(hi > lo)) {
                double d = Math.max(1e-9, Math.abs(lo) * 0.05 + 1e-3);
                lo -= d;
                hi += d;
            }
            double pad = (hi - lo) * 0.06;
            return new Scale(lo - pad, hi + pad, from, to);
        }

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

    private static void svgOpen(StringBuilder b, String cls) {
        b.append("<svg class=\"").append(cls).append("\" xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(W)
                .append("\" height=\"").append(H).append("\" viewBox=\"0 0 ").append(W).append(' ').append(H)
                .append("\" role=\"img\">\n");
    }

    private static void axes(StringBuilder b, Scale x, Scale y, String xLabel, String yLabel, boolean integerX) {
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

    private static List<Double> integerTicks(Scale x) {
        long lo = (long) Math.ceil(x.lo());
        long hi = (long) Math.floor(x.hi());
        long step = Math.max(1, (hi - lo) / 8);
        List<Double> t = new ArrayList<>();
        for (long v = lo; v <= hi; v += step) {
            t.add((double) v);
        }
        return t;
    }

    private static void legend(StringBuilder b, List<String> names, List<String> colors) {
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

    private static int labelWidth(List<String> names) {
        return 16 + 7 * names.stream().mapToInt(n -> shortName(n).length()).max().orElse(4);
    }

    private static String shortName(String reference) {
        String s = reference.endsWith("/") ? reference.substring(0, reference.length() - 1) : reference;
        int slash = s.lastIndexOf('/');
        String tail = slash >= 0 && s.length() - slash > 1 ? s.substring(slash + 1) : s;
        return tail.length() > 22 ? tail.substring(0, 21) + "…" : tail;
    }

    private static String numbers(double[] v) {
        StringBuilder s = new StringBuilder("(");
        for (int i = 0; i < v.length; i++) {
            s.append(i > 0 ? ", " : "").append(num(v[i]));
        }
        return s.append(')').toString();
    }

    /** How the report writes a number: four decimals at most, powers of ten outside [0.001, 100000). */
    public static String num(double v) {
        if (!Double.isFinite(v)) {
            return "–";
        }
        double a = Math.abs(v);
        if (a != 0 && (a >= 1e5 || a < 1e-3)) {
            String[] m = String.format(Locale.ROOT, "%.3e", v).split("e");
            return m[0].replaceAll("(\\.\\d*?)0+$", "$1").replaceAll("\\.$", "") + "e" + Integer.parseInt(m[1]);
        }
        return String.format(Locale.ROOT, a >= 100 ? "%.1f" : "%.4f", v).replaceAll("(\\.\\d*?)0+$", "$1")
                .replaceAll("\\.$", "");
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    private static String esc(String s, int max) {
        return esc(s.length() > max ? s.substring(0, max) + "…" : s);
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    // ---- reading

    private static List<Row> history(Path file) {
        List<Row> rows = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode o;
                try {
                    o = JSON.readTree(line);
                } catch (IOException e) {
                    // a line being appended while the report is drawn
                    continue;
                }
                rows.add(new Row(o.path("stage").asText("?"), o.path("generation").asLong(),
                        o.path("candidate").asInt(), doubles(o.path("genome")), o.path("recipe").asText(""),
                        doubles(o.path("objectives")), o.path("fitness").isNumber() ? o.get("fitness").asDouble()
                                : Double.NEGATIVE_INFINITY,
                        !o.path("error").isNull() && !o.path("error").isMissingNode()));
            }
        } catch (IOException e) {
            throw new InputException(file, "cannot be read: " + e.getMessage(), null, e);
        }
        return rows;
    }

    private static Optional<JsonNode> summary(Path file) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readTree(Files.readString(file, StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new InputException(file, "cannot be read as JSON: " + e.getMessage(), "the work directory was"
                    + " changed by hand; run the search again", e);
        }
    }

    private static double[] doubles(JsonNode array) {
        double[] v = new double[array.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = array.get(i).isNumber() ? array.get(i).asDouble() : Double.NaN;
        }
        return v;
    }

    private static final String CSS = """
            body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;color:#1f2328;\
            margin:24px auto;max-width:1200px;padding:0 16px;background:#fff}
            h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 8px;border-bottom:1px solid #d0d7de;\
            padding-bottom:4px}h3{font-size:15px;margin:18px 0 6px}
            .meta{color:#59636e;margin:4px 0 10px}.empty{color:#59636e;font-style:italic}
            .charts{display:flex;flex-wrap:wrap;gap:16px;align-items:flex-start}
            figure.chart{margin:0;border:1px solid #d0d7de;border-radius:6px;padding:8px;background:#fff}
            figure.wide{overflow-x:auto;max-width:100%}
            figcaption{font-weight:600;margin:0 0 4px 4px}
            svg text{font-family:inherit}.tick{font-size:11px;fill:#59636e}.axis{font-size:12px;fill:#1f2328}
            .label{font-size:11px;fill:#d1242f;font-weight:600}.cellv{font-size:10px}
            table{border-collapse:collapse;font-size:13px;margin:6px 0}
            th,td{border:1px solid #d0d7de;padding:4px 8px;text-align:right}th{background:#f6f8fa}
            tr th:first-child{text-align:left}tr.chosen{background:#ddf4ff}td.top{font-weight:700}
            code{font:12px ui-monospace,SFMono-Regular,Menlo,monospace;background:#f6f8fa;padding:1px 4px;\
            border-radius:4px}
            """;
}
