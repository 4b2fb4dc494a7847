package dev.evomerge.search.evolve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.evomerge.event.Event;
import dev.evomerge.event.EventListener;
import dev.evomerge.model.ModelResolver;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where an evolve run's time goes: summary.json's time_shares and the progress line, per stage. */
class EvolutionTimeSharesTest {

    @TempDir
    Path dir;

    @Test
    void hybridRun_reportsPerStageSharesOfMergeLoadScoringAndOptimizer() throws IOException {
        EvolveFixture.create(dir);
        Path config = dir.resolve("hybrid.yml");
        Files.writeString(config, EvolveFixture.GENOME + """
                dfs:
                  models: [ps, models/a]
                  repeats: 1
                search:
                  population: 4
                  budget: {generations: 2}
                """ + EvolveFixture.TASKS);
        List<Event> events = new ArrayList<>();
        EventListener listener = events::add;
        EvolutionResult result = EvolutionRun.run(EvolveConfigReader.read(config, listener), dir.resolve("work"),
                false, new ModelResolver(dir, Map.of()), listener);
        JsonNode shares = new ObjectMapper().readTree(result.workDirectory().resolve("summary.json").toFile())
                .get("time_shares");
        assertEquals(List.of("ps", "dfs"), iterable(shares));
        for (String stage : List.of("ps", "dfs")) {
            JsonNode s = shares.get(stage);
            double sum = 0;
            for (String part : List.of("merge", "load", "scoring", "optimizer", "other")) {
                double v = s.get(part).asDouble();
                assertTrue(v >= 0 && v <= 1, stage + " " + part + " = " + v);
                sum += v;
            }
            assertEquals(1, sum, 0.01, stage + ": the parts add up to the wall time");
            // how large a share is depends on the machine's load; that it is measured at all does not
            assertTrue(s.get("scoring").asDouble() > 0, stage + " scores its candidates: " + s);
            assertTrue(s.get("wall_seconds").asDouble() > 0, stage + ": " + s);
        }
        assertTrue(shares.get("ps").get("merge").asDouble() > 0, "PS candidates are merged: " + shares);
        assertEquals(0, shares.get("dfs").get("merge").asDouble(), "DFS paths share loaded layers: " + shares);
        List<String> progress = events.stream().filter(e -> e instanceof Event.Lifecycle l
                && l.message().matches("(PS|DFS) generation \\d+:.*")).map(e -> ((Event.Lifecycle) e).message())
                .toList();
        assertEquals(4, progress.size(), progress.toString());
        progress.forEach(line -> assertTrue(line.matches(".*; time: merge \\d+%, load \\d+%, scoring \\d+%,"
                + " optimizer \\d+%"), line));
    }

    private static List<String> iterable(JsonNode object) {
        List<String> out = new ArrayList<>();
        object.fieldNames().forEachRemaining(out::add);
        return out;
    }
}
