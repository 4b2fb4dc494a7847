package dev.evomerge.search.evolve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Whole evolve runs on tiny models, checking what decides which recipe a user gets. */
class SearchTrustTest {

    @TempDir
    static Path dir;

    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void fixture() {
        EvolveFixture.create(dir);
    }

    private static final String PS = """
            genome:
              models: [models/a, models/b]
              base_model: models/base
              merge_method: task_arithmetic
              dtype: float32
            search:
              optimizer: cmaes
              population: 4
              budget: {generations: 3}
              seed: 5
            """ + EvolveFixture.TASKS;

    static EvolutionResult run(String name, String yaml, List<Event> events) throws IOException {
        Path config = dir.resolve(name + ".yml");
        Files.writeString(config, yaml);
        EventListener listener = events::add;
        return EvolutionRun.run(EvolveConfigReader.read(config, listener), dir.resolve("work-" + name), false,
                new ModelResolver(dir, Map.of()), listener);
    }

    static List<JsonNode> history(EvolutionResult result) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(result.workDirectory().resolve("history.jsonl"))) {
            out.add(JSON.readTree(line));
        }
        return out;
    }

    @Test
    void initialRandom_ga_startPointIsNotTheFirstRandomMember() throws IOException {
        EvolutionResult result = run("random-ga", PS.replace("optimizer: cmaes", "optimizer: ga")
                .replace("generations: 3", "generations: 1").replace("seed: 5", "seed: 5\n  initial: random"),
                new ArrayList<>());
        List<JsonNode> history = history(result);
        assertEquals(4, history.size());
        for (int i = 1; i < history.size(); i++) {
            assertFalse(history.get(0).get("genome").equals(history.get(i).get("genome")),
                    "member " + i + " repeats the start point " + history.get(0).get("genome"));
        }
    }
}
