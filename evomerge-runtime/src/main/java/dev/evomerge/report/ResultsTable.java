package dev.evomerge.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.evomerge.diag.InputException;
import dev.evomerge.io.AtomicFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The results of one or more evolve runs as one table, shaped like Table 1 of the Evolutionary Model Merge paper:
 * a row per source model, the untuned merge, each run's chosen recipe labelled by its stages (PS, DFS, PS+DFS), and
 * the rows a hybrid run adds (its PS stage's result, its recipe with every scale 1); a column per task (its first
 * metric, in percent for a score between 0 and 1) and the fitness. Everything comes from the runs'
 * {@code summary.json} files, for one split.
 *
 * {@snippet :
 * String markdown = ResultsTable.read(List.of(hybridWorkDir, dfsWorkDir)).markdown("test");
 * }
 */
public final class ResultsTable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One row: its label and the summary entry ({@code {search: ..., validation: ..., test: ...}}) it shows. */
    public record Row(String label, JsonNode roles) {
    }

    private final List<Row> rows;

    private ResultsTable(List<Row> rows) {
        this.rows = List.copyOf(rows);
    }

    public List<Row> rows() {
        return rows;
    }

    /**
     * Reads the {@code summary.json} of each work directory: the sources and untuned merge of all of them (each
     * source once, first seen first), then each run's results in order.
     *
     * @throws InputException naming a work directory without a readable summary
     */
    public static ResultsTable read(List<Path> workDirectories) {
        List<Row> sources = new ArrayList<>();
        List<Row> untuned = new ArrayList<>();
        List<Row> results = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (Path work : workDirectories) {
            Path file = work.resolve("summary.json");
            JsonNode summary;
            try {
                summary = JSON.readTree(file.toFile());
            } catch (IOException e) {
                throw new InputException(file, "cannot read the run's summary: " + e.getMessage(),
                        "run evomerge evolve with this work directory first");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = summary.path("sources").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> s = it.next();
                if (seen.add(s.getKey())) {
                    sources.add(new Row(name(s.getKey()), s.getValue()));
                }
            }
            if (summary.has("untuned_merge") && untuned.isEmpty()) {
                untuned.add(new Row("untuned merge (" + summary.path("merge_method").asText("initial genome")
                        + ")", summary.get("untuned_merge")));
            }
            String stages = switch (summary.path("stages").asText()) {
                case "ps" -> "PS";
                case "dfs" -> "DFS";
                default -> "PS+DFS";
            };
            if (summary.has("ps")) {
                results.add(new Row("PS", summary.get("ps")));
            }
            results.add(new Row(stages, summary.get("best")));
            if (summary.has("best_unit_scales")) {
                results.add(new Row(stages + " with every scale 1", summary.get("best_unit_scales")));
            }
        }
        List<Row> all = new ArrayList<>(sources);
        all.addAll(untuned);
        all.addAll(results);
        return new ResultsTable(all);
    }

    /** A source's label: the last part of its reference. */
    private static String name(String reference) {
        String r = reference.replace('\\', '/');
        while (r.endsWith("/")) {
            r = r.substring(0, r.length() - 1);
        }
        return r.substring(r.lastIndexOf('/') + 1);
    }

    /** Each row's score per task and its fitness on {@code split}, as a Markdown table. */
    public String markdown(String split) {
        Map<String, String> metrics = new LinkedHashMap<>();
        for (Row r : rows) {
            for (Iterator<Map.Entry<String, JsonNode>> it = r.roles().path(split).path("scores").fields();
                    it.hasNext(); ) {
                Map.Entry<String, JsonNode> task = it.next();
                Iterator<String> names = task.getValue().fieldNames();
                if (names.hasNext()) {
                    metrics.putIfAbsent(task.getKey(), names.next());
                }
            }
        }
        StringBuilder b = new StringBuilder();
        b.append("| model (").append(split).append(" split) |");
        metrics.forEach((task, metric) -> b.append(' ').append(task).append(" |"));
        b.append(" fitness |\n|---|");
        metrics.forEach((task, metric) -> b.append("---:|"));
        b.append("---:|\n");
        for (Row r : rows) {
            JsonNode role = r.roles().path(split);
            b.append("| ").append(r.label()).append(" |");
            metrics.forEach((task, metric) -> b.append(' ')
                    .append(cell(role.path("scores").path(task).path(metric))).append(" |"));
            b.append(' ').append(role.has("error") ? "failed: " + role.get("error").asText()
                    : number(role.path("fitness"))).append(" |\n");
        }
        return b.toString();
    }

    private static String cell(JsonNode value) {
        if (!value.isNumber()) {
            return "–";
        }
        double v = value.asDouble();
        return v >= 0 && v <= 1 ? String.format(Locale.ROOT, "%.1f", 100 * v) : number(value);
    }

    private static String number(JsonNode value) {
        return value.isNumber() ? String.format(Locale.ROOT, "%.4f", value.asDouble()) : "–";
    }

    /** Writes the table to {@code file} (replacing it atomically, {@link AtomicFile}). */
    public void write(Path file, String split) {
        AtomicFile.write(file, markdown(split));
    }
}
