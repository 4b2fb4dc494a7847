package dev.evomerge.search.evolve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.evomerge.diag.InputException;
import dev.evomerge.event.Event;
import dev.evomerge.event.EventListener;
import dev.evomerge.model.ModelResolver;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A resume continues the same run or says what changed; {@code force} goes on and records it. */
class ResumeInputsTest {

    private static final String PS = EvolveFixture.GENOME + EvolveFixture.cmaes(2) + EvolveFixture.TASKS;

    private static EvolutionResult run(Path dir, boolean resume, boolean force, List<Event> events) {
        Path config = dir.resolve("evolve.yml");
        EventListener listener = events::add;
        return EvolutionRun.run(EvolveConfigReader.read(config, listener), dir.resolve("work"), resume, force,
                resume ? OptionalLong.empty() : OptionalLong.of(1), new ModelResolver(dir, Map.of()), listener);
    }

    private static String refusal(Path dir, Consumer<Path> change) throws IOException {
        EvolveFixture.create(dir);
        Files.writeString(dir.resolve("evolve.yml"), PS);
        assertFalse(run(dir, false, false, new ArrayList<>()).finished());
        change.accept(dir);
        return assertThrows(InputException.class, () -> run(dir, true, false, new ArrayList<>())).userMessage();
    }

    private static void append(Path file, String text) {
        try {
            Files.writeString(file, text, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void resume_dataFileChanged_refusedNamingIt(@TempDir Path dir) throws IOException {
        String message = refusal(dir, d -> append(d.resolve("data/words/validation.jsonl"),
                "{\"context\": \"Grass is\", \"word\": \"green\"}\n"));
        assertTrue(message.matches(".*work: holds a run that started from other inputs: the data file \\S*"
                + "data/words/validation.jsonl changed \\(sha256 [0-9a-f]{12}… then, [0-9a-f]{12}… now\\);"
                + " resume with the inputs it started with, or pass --force.*"), message);
        assertFalse(message.contains("\n"), message);
    }

    @Test
    void resume_taskFileChanged_refused(@TempDir Path dir) throws IOException {
        String message = refusal(dir, d -> append(d.resolve("tasks/words.yaml"), "# edited\n"));
        assertTrue(message.contains("the task file " + dir.resolve("tasks/words.yaml") + " changed"), message);
    }

    @Test
    void resume_modelConfigChanged_refused(@TempDir Path dir) throws IOException {
        String message = refusal(dir, d -> {
            try {
                Path config = d.resolve("models/b/config.json");
                Files.writeString(config, Files.readString(config).replaceFirst("\\{", "{\"note\": 1, "));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        assertTrue(message.contains("the model models/b changed"), message);
    }

    @Test
    void resume_forced_goesOnAndRecordsWhatChanged(@TempDir Path dir) throws IOException {
        refusal(dir, d -> append(d.resolve("tasks/words.yaml"), "# edited\n"));
        List<Event> events = new ArrayList<>();
        EvolutionResult result = run(dir, true, true, events);
        assertTrue(result.finished());
        assertTrue(events.stream().anyMatch(e -> e instanceof Event.Warning w
                && w.message().startsWith("resuming with --force although the task file")), events.toString());
        JsonNode summary = new ObjectMapper().readTree(result.workDirectory().resolve("summary.json").toFile());
        assertEquals(1, summary.get("forced_resume").size());
        assertTrue(summary.get("forced_resume").get(0).asText().startsWith("the task file "));
    }

    @Test
    void resume_unchanged_goesOn(@TempDir Path dir) throws IOException {
        EvolveFixture.create(dir);
        Files.writeString(dir.resolve("evolve.yml"), PS);
        assertFalse(run(dir, false, false, new ArrayList<>()).finished());
        assertTrue(run(dir, true, false, new ArrayList<>()).finished());
    }
}
