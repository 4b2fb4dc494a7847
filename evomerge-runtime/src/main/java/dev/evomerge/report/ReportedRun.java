package dev.evomerge.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.evomerge.diag.InputException;
import dev.evomerge.search.evolve.Stage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What the run report is drawn from: the evaluations in {@code history.jsonl} (read as {@link History} wrote them)
 * and, once the run has ended, {@code summary.json}. Read at any time, also while the run appends to its history.
 *
 * @param work the run's work directory
 * @param evaluations every evaluation, in the order of the history
 * @param summary the summary, empty while the run has not ended
 */
record ReportedRun(Path work, List<HistoryRecord> evaluations, Optional<JsonNode> summary) {

    private static final ObjectMapper JSON = new ObjectMapper();

    ReportedRun {
        evaluations = List.copyOf(evaluations);
    }

    /**
     * Reads the run in {@code work}.
     *
     * @throws InputException when the directory holds no evolve run ({@code history.jsonl}), or its files cannot be
     *     read
     */
    static ReportedRun read(Path work) {
        Path historyFile = work.resolve("history.jsonl");
        if (!Files.isRegularFile(historyFile)) {
            throw new InputException(work, "holds no evolve run (it has no history.jsonl)",
                    "give the work directory of an evolve run (Maven: target/evomerge)");
        }
        return new ReportedRun(work, history(historyFile), summary(work.resolve("summary.json")));
    }

    /** The stages in the order the history first shows them. */
    List<Stage> stages() {
        Set<Stage> s = new LinkedHashSet<>();
        evaluations.forEach(r -> s.add(r.stage()));
        return List.copyOf(s);
    }

    /** The evaluations of one stage. */
    List<HistoryRecord> of(Stage stage) {
        return evaluations.stream().filter(r -> r.stage() == stage).toList();
    }

    private static List<HistoryRecord> history(Path file) {
        List<HistoryRecord> rows = new ArrayList<>();
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
                try {
                    rows.add(History.parse(o));
                } catch (RuntimeException e) {
                    throw new InputException(file, "has a line that is not an evaluation record: " + e.getMessage(),
                            "the work directory was changed by hand; run the search again");
                }
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
}
