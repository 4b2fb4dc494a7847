package dev.evomerge.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.evomerge.diag.InputException;
import dev.evomerge.search.evolve.Stage;
import dev.evomerge.io.AtomicFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The report of an evolve run, {@code report/index.html} in its work directory: one self-contained page (inline SVG
 * and CSS, no script, nothing fetched) with the fitness per generation (best, mean, and each objective), the Pareto
 * front of a search with several objectives with each point's recipe, a heatmap of the best parameter-space genome
 * (models × layer groups, per parameter), the best data-flow path (steps × models, the scale as the colour's
 * intensity), and the table of the sources, the untuned merge and the chosen recipe on every split.
 *
 * <p>It reads {@code history.jsonl} and, once the run has ended, {@code summary.json}, so it can be drawn again at
 * any time for a running or stopped run ({@link ReportedRun}); the genome spaces ({@link RunSpaces}), rebuilt from
 * the config, name the genes and decode the data-flow path. Each part has a class of its own ({@link FitnessChart},
 * {@link ParetoChart}, {@link GenomeHeatmap}, {@link PathChart}, {@link ScoresTable}, drawn with {@link Svg}); this
 * class lays out the page.
 *
 * <p>Stateless and thread-safe.
 */
public final class RunReport {

    /** The report's directory in the work directory. */
    public static final String DIRECTORY = "report";

    private RunReport() {
    }

    /**
     * Writes {@code work/report/index.html} (atomically, {@link AtomicFile}) and returns its path.
     *
     * @throws InputException when the directory holds no evolve run ({@code history.jsonl})
     */
    public static Path write(Path work, RunSpaces spaces) {
        String html = render(work, spaces);
        Path file = work.resolve(DIRECTORY).resolve("index.html");
        AtomicFile.write(file, html);
        return file;
    }

    /** The page for the run in {@code work}. */
    public static String render(Path work, RunSpaces spaces) {
        ReportedRun run = ReportedRun.read(work);
        List<HistoryRecord> rows = run.evaluations();
        Optional<JsonNode> summary = run.summary();
        StringBuilder b = new StringBuilder(64 * 1024);
        b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n")
                .append("<title>evomerge run report</title>\n")
                .append("<style>").append(CSS).append("</style></head><body>\n");
        b.append("<h1>evomerge run report</h1>\n<p class=\"meta\">").append(esc(work.toString())).append(" · ");
        b.append(rows.size()).append(" evaluations");
        long failed = rows.stream().filter(HistoryRecord::failed).count();
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
        for (Stage stage : run.stages()) {
            List<HistoryRecord> of = run.of(stage);
            b.append("<h2>").append(switch (stage) {
                case PS -> "Parameter space";
                case DFS -> "Data-flow space";
            }).append("</h2>\n<div class=\"charts\">\n");
            FitnessChart.fitness(b, of);
            int objectives = of.stream().mapToInt(r -> r.objectives().length).max().orElse(0);
            List<String> names = objectiveNames(objectives, stage, spaces);
            boolean[] maximise = directions(Math.max(1, objectives), stage, spaces);
            if (objectives > 1) {
                for (int i = 0; i < objectives; i++) {
                    if (!names.get(i).equals("fitness")) {
                        FitnessChart.objective(b, of, i, names.get(i), maximise[i]);
                    }
                }
            }
            b.append("</div>\n");
            if (objectives > 1) {
                ParetoChart.append(b, of, maximise, names);
            }
            Optional<HistoryRecord> best = of.stream().filter(r -> !r.failed()).max((x, y) -> Double.compare(
                    x.fitness(), y.fitness()));
            if (best.isPresent() && stage == Stage.PS) {
                GenomeHeatmap.append(b, best.get(), spaces.ps());
            }
            if (best.isPresent() && stage == Stage.DFS) {
                PathChart.append(b, best.get(), spaces.dfs(), spaces.dfsModels());
            }
        }
        summary.ifPresent(s -> ScoresTable.append(b, s));
        b.append("<p class=\"meta\">Drawn from history.jsonl").append(summary.isPresent() ? " and summary.json" : "")
                .append(" by <code>evomerge report</code>.</p>\n</body></html>\n");
        return b.toString();
    }

    private static boolean[] directions(int objectives, Stage stage, RunSpaces spaces) {
        boolean[] maximise = new boolean[objectives];
        Arrays.fill(maximise, true);
        if (spaces.pathLengthObjective() && stage == Stage.DFS) {
            maximise[objectives - 1] = false;
        }
        return maximise;
    }

    /** The objectives' names: the config's objective tasks (or fitness), then the path length when searched. */
    private static List<String> objectiveNames(int objectives, Stage stage, RunSpaces spaces) {
        List<String> names = new ArrayList<>(spaces.objectives());
        if (names.isEmpty()) {
            names.add("fitness");
        }
        if (spaces.pathLengthObjective() && stage == Stage.DFS) {
            names.add("path length");
        }
        while (names.size() < objectives) {
            names.add("objective " + (names.size() + 1));
        }
        return names;
    }

    /** Numbers as the report writes them, in parentheses: {@code (0.5, 12)}. */
    static String numbers(double[] v) {
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

    /** {@link #esc(String)} of at most {@code max} characters, an ellipsis marking a cut. */
    static String esc(String s, int max) {
        return esc(s.length() > max ? s.substring(0, max) + "…" : s);
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
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
