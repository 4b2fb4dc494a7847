package dev.evomerge.search.evolve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.evomerge.diag.RunException;
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

/** When every candidate fails, the progress lines and the final error lead with the error they share. */
class AllCandidatesFailTest {

    @TempDir
    static Path dir;

    @BeforeAll
    static void fixture() {
        EvolveFixture.create(dir);
    }

    @Test
    void everyCandidateFails_progressShowsFailuresNotNaN_errorNamesTheSharedCause() throws IOException {
        Path script = Files.writeString(dir.resolve("eval.sh"), "echo 'CUDA out of memory' >&2; exit 3\n");
        Path config = Files.writeString(dir.resolve("fail.yml"), EvolveFixture.GENOME + EvolveFixture.cmaes(2) + """
                  seed: 5
                evaluation:
                  mode: command
                  command: sh %s {model_dir} {output}
                  timeout: 60s
                """.formatted(script) + EvolveFixture.TASKS);
        List<String> lines = new ArrayList<>();
        EventListener listener = e -> {
            if (e instanceof Event.Lifecycle l) {
                lines.add(l.message());
            }
        };
        var e = assertThrows(RunException.class, () -> EvolutionRun.run(EvolveConfigReader.read(config, listener),
                dir.resolve("work"), false, new ModelResolver(dir, Map.of()), listener));
        List<String> progress = lines.stream().filter(l -> l.startsWith("PS generation ")).toList();
        assertEquals(2, progress.size(), lines.toString());
        for (String line : progress) {
            assertFalse(line.contains("NaN"), line);
            assertTrue(line.contains(", none scored yet, all 4 candidates failed (4 with: sh exited with status 3:"
                    + " CUDA out of memory)"), line);
        }
        assertTrue(e.getMessage().startsWith("every candidate of the ps search failed, 8 of 8 with: sh exited with"
                + " status 3: CUDA out of memory"), e.getMessage());
    }
}
