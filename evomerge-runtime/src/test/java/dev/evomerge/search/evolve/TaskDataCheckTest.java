package dev.evomerge.search.evolve;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.evomerge.diag.EvomergeException;
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

/** Bad data in any split a run will use stops the run before its first candidate, not after the search. */
class TaskDataCheckTest {

    @TempDir
    Path dir;

    @Test
    void validationRecordLackingAField_refusedBeforeTheFirstCandidate() throws IOException {
        EvolveFixture.create(dir);
        Path validation = dir.resolve("data/words/validation.jsonl");
        Files.writeString(validation, Files.readString(validation) + "{\"context\": \"no word here\"}\n");
        Path config = Files.writeString(dir.resolve("evolve.yml"),
                EvolveFixture.GENOME + EvolveFixture.cmaes(1) + EvolveFixture.TASKS);
        List<String> lines = new ArrayList<>();
        EventListener listener = e -> {
            if (e instanceof Event.Lifecycle l) {
                lines.add(l.message());
            }
        };
        var e = assertThrows(EvomergeException.class, () -> EvolutionRun.run(EvolveConfigReader.read(config,
                listener), dir.resolve("work"), false, new ModelResolver(dir, Map.of()), listener));
        assertTrue(e.userMessage().contains("doc_to_target") && e.userMessage().contains("validation"),
                e.userMessage());
        assertTrue(lines.stream().noneMatch(l -> l.startsWith("PS generation")), lines.toString());
        assertFalse(Files.exists(dir.resolve("work")), "nothing started, nothing left");
    }

    @Test
    void objectiveMetricTheTaskDoesNotCompute_refusedBeforeTheFirstCandidate() throws IOException {
        EvolveFixture.create(dir);
        Path config = Files.writeString(dir.resolve("evolve.yml"), EvolveFixture.GENOME + EvolveFixture.cmaes(1)
                + EvolveFixture.TASKS.replace("perplexity,none", "acc,strict-match"));
        var e = assertThrows(EvomergeException.class, () -> EvolutionRun.run(EvolveConfigReader.read(config,
                EventListener.NONE), dir.resolve("work"), false, new ModelResolver(dir, Map.of()), EventListener.NONE));
        assertTrue(e.userMessage().contains("task words computes no metric 'acc,strict-match'; use one of "),
                e.userMessage());
        assertFalse(Files.exists(dir.resolve("work")));
    }
}
