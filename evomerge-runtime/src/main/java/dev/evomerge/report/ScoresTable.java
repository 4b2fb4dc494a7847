package dev.evomerge.report;

import static dev.evomerge.report.RunReport.esc;
import static dev.evomerge.report.RunReport.num;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The table of {@code summary.json}: the sources, the untuned merge and the chosen recipe, each with its fitness
 * and every task's metrics on the search, validation and test splits, the best fitness per split marked.
 * Stateless.
 */
final class ScoresTable {

    private ScoresTable() {
    }

    /** Appends the table, or nothing when the summary has no scored model yet. */
    static void append(StringBuilder b, JsonNode summary) {
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
}
