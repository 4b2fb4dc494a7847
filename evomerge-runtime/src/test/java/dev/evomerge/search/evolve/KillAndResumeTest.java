package dev.evomerge.search.evolve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.evomerge.event.Event;
import dev.evomerge.event.EventListener;
import dev.evomerge.model.ModelResolver;
import dev.evomerge.model.SyntheticModel;
import dev.evomerge.tensor.DType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run killed with SIGKILL in the middle of a generation (the {@code evomerge} CLI in a child JVM), then resumed,
 * ends exactly as the uninterrupted run with the same seed: the same history (but for wall times), the same chosen
 * recipe, the same summary scores.
 */
class KillAndResumeTest {

    @TempDir
    static Path dir;

    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void fixture() {
        EvolveFixture.create(dir);
    }

    /** CMA-ES over ties of models/a and models/b onto models/base, population 4, 8 generations; its seed to add. */
    private static final String CMAES_TIES = EvolveFixture.TIES_GENOME + """
            search:
              optimizer: cmaes
              population: 4
              budget: {generations: 8}
            """;

    @Test
    void cmaes_parameterSpace_killedAndResumed_sameAsUninterrupted() throws Exception {
        killResumeAndCompare("cmaes", CMAES_TIES + "  seed: 3\n" + EvolveFixture.TASKS, 4, false);
    }

    /**
     * With {@code search.subset} every generation's best candidate and CMA-ES' mean are scored on the validation split
     * behind the next generation's candidates, on two evaluation threads: the checkpoint a kill leaves holds snapshots
     * whose scores were not in yet, and the resume scores them as the uninterrupted run did.
     */
    @Test
    void cmaesWithPerGenerationValidation_killedAndResumed_sameAsUninterrupted() throws Exception {
        killResumeAndCompare("cmaes-subset", CMAES_TIES + """
                  seed: 5
                  subset: 2
                evaluation:
                  threads: 2
                """ + EvolveFixture.TASKS, 4, true);
    }

    @Test
    void nsga2_dataFlowSpaceWithPathLength_killedAndResumed_sameAsUninterrupted() throws Exception {
        killResumeAndCompare("nsga2", """
                dfs:
                  models: [models/a, models/b]
                  repeats: 2
                search:
                  optimizer: nsga2
                  population: 6
                  path_length_objective: true
                  budget: {generations: 8}
                  seed: 4
                """ + EvolveFixture.TASKS, 6, false);
        assertTrue(Files.isRegularFile(dir.resolve("work-nsga2-killed/pareto/pareto.json")));
        assertEquals(Files.readString(dir.resolve("work-nsga2-plain/pareto/pareto.json")),
                Files.readString(dir.resolve("work-nsga2-killed/pareto/pareto.json")));
    }

    /**
     * The paper's data-flow shape (M = 64 stacked layers of two 32-layer models, r = 3, population 128) on tiny real
     * layers, every candidate a real path scored in process: paused after its first generation and resumed, it ends
     * as the run that went straight through.
     */
    @Test
    void paperShapedDataFlowOnRealLayers_pausedAndResumed_sameAsUninterrupted() throws IOException {
        new SyntheticModel("llama", 32, 16, 32, 120, 2, 1, DType.F32, 21).write(dir.resolve("models/deep-a"), false);
        new SyntheticModel("llama", 32, 16, 32, 120, 2, 1, DType.F32, 22).write(dir.resolve("models/deep-b"), false);
        Path config = dir.resolve("paper.yml");
        Files.writeString(config, """
                dfs:
                  models: [models/deep-a, models/deep-b]
                  repeats: 3
                search:
                  population: 128
                  budget: {generations: 2}
                  seed: 11
                """ + EvolveFixture.TASKS);
        EvolveConfig cfg = EvolveConfigReader.read(config, EventListener.NONE);
        List<Event> events = new ArrayList<>();
        EvolutionResult plain = EvolutionRun.run(cfg, dir.resolve("work-paper-plain"), false,
                new ModelResolver(dir, Map.of()), events::add);
        Path paused = dir.resolve("work-paper-paused");
        assertTrue(!EvolutionRun.run(cfg, paused, false, OptionalLong.of(1), new ModelResolver(dir, Map.of()),
                EventListener.NONE).finished());
        assertEquals(128, lines(paused.resolve("history.jsonl")));
        EvolutionResult resumed = EvolutionRun.run(cfg, paused, true, new ModelResolver(dir, Map.of()),
                EventListener.NONE);

        assertEquals("DFS search: 4352 genes, sep-cmaes (separable above 1000 genes; search.cmaes: full overrides),"
                + " population 128 (search.population), budget 2 generations (search.budget)", events.stream()
                .filter(e -> e instanceof Event.Lifecycle).map(e -> ((Event.Lifecycle) e).message())
                .filter(m -> m.startsWith("DFS search: ")).findFirst().orElseThrow());
        assertTrue(lines(plain.workDirectory().resolve("history.jsonl")) >= 2 * 128);
        assertEquals(Files.readString(plain.bestRecipe()), Files.readString(resumed.bestRecipe()));
        assertEquals(EvolveFixture.historyWithoutSeconds(plain.workDirectory()),
                EvolveFixture.historyWithoutSeconds(resumed.workDirectory()));
        assertEquals(best(plain.workDirectory()), best(resumed.workDirectory()));
        assertEquals(plain.validationScores(), resumed.validationScores());
    }

    /** @param pendingAtKill whether the checkpoint the kill leaves must hold snapshots whose scores were not in */
    private static void killResumeAndCompare(String name, String yaml, int population, boolean pendingAtKill)
            throws Exception {
        Path config = dir.resolve(name + ".yml");
        Files.writeString(config, yaml);
        Path killed = dir.resolve("work-" + name + "-killed");
        Path history = killed.resolve("history.jsonl");
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                "dev.evomerge.cli.EvomergeCli", "evolve", config.toString(), "--work-dir", killed.toString())
                .directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve(name + "-child.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (lines(history) < 2 * population && child.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertTrue(child.isAlive(), () -> "the child ended before it could be killed: " + log(name));
        child.destroyForcibly().waitFor();
        assertNotEquals(0, child.exitValue());
        assertTrue(lines(history) < 8 * population, "killed before the last generation");
        assertEquals(pendingAtKill, !Checkpoint.read(killed).orElseThrow().pendingValidation().isEmpty());

        EvolutionResult resumed = run(config, killed, true);
        EvolutionResult plain = run(config, dir.resolve("work-" + name + "-plain"), false);
        assertEquals(Files.readString(plain.bestRecipe()), Files.readString(resumed.bestRecipe()));
        assertEquals(EvolveFixture.historyWithoutSeconds(plain.workDirectory()),
                EvolveFixture.historyWithoutSeconds(resumed.workDirectory()));
        assertEquals(best(plain.workDirectory()), best(resumed.workDirectory()));
        assertEquals(plain.validationScores(), resumed.validationScores());
        if (pendingAtKill) {
            // every snapshot validated, in order, with its validation fitness
            JsonNode snapshots = summary(plain.workDirectory()).path("selection").path("snapshots");
            assertTrue(snapshots.isArray() && snapshots.size() > 1, snapshots::toString);
            assertEquals(snapshots, summary(resumed.workDirectory()).path("selection").path("snapshots"));
        }
    }

    private static EvolutionResult run(Path config, Path work, boolean resume) {
        return EvolutionRun.run(EvolveConfigReader.read(config, EventListener.NONE), work, resume,
                new ModelResolver(dir, Map.of()), EventListener.NONE);
    }

    private static long lines(Path file) throws IOException {
        if (!Files.exists(file)) {
            return 0;
        }
        try (var s = Files.lines(file)) {
            return s.count();
        }
    }

    private static String best(Path work) throws IOException {
        return summary(work).get("best").toString();
    }

    private static JsonNode summary(Path work) throws IOException {
        return JSON.readTree(Files.readString(work.resolve("summary.json")));
    }

    private static String log(String name) {
        try {
            return Files.readString(dir.resolve(name + "-child.log"));
        } catch (IOException e) {
            return e.toString();
        }
    }
}
