package dev.evomerge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.evomerge.event.EventListener;
import dev.evomerge.report.FileDigest;
import dev.evomerge.report.LockFile;
import dev.evomerge.search.evolve.EvolutionResult;
import dev.evomerge.search.evolve.EvolveFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lock an evolve run writes into {@code best/}, and that verify rebuilds the chosen model from it. */
class EvolveLockTest {

    @TempDir
    static Path dir;

    @BeforeAll
    static void fixture() {
        EvolveFixture.create(dir);
    }

    private static EvolutionResult evolve(String name, String yaml, OptionalLong generations) throws Exception {
        Path config = dir.resolve(name + ".yml");
        Files.writeString(config, yaml);
        return Evolve.standard().run(new EvolveRequest(config, dir.resolve("work-" + name), false, OptionalLong.empty(),
                generations, dir, Map.of("EVOMERGE_CACHE", dir.resolve("cache").toString())), EventListener.NONE);
    }

    private static void assertLockedAndVerifies(EvolutionResult r, long seed, List<String> inputs) throws Exception {
        Path lockFile = r.bestModel().resolve(LockFile.NAME);
        LockFile lock = LockFile.read(lockFile);
        assertEquals("evolve", lock.kind());
        assertEquals(Files.readString(r.bestRecipe()), lock.recipe());
        assertEquals(seed, lock.seed());
        assertEquals(inputs, lock.inputs().stream().map(LockFile.Input::reference).toList());
        assertTrue(lock.outputs().stream().map(FileDigest::path).toList().contains("model.safetensors"));
        Verify.run(new VerifyRequest(lockFile, false, 2, Map.of()), EventListener.NONE);
    }

    @Test
    void parameterSpace_bestModelIsLockedAndRebuildsToTheSameBytes() throws Exception {
        EvolutionResult r = evolve("ps", EvolveFixture.TIES_GENOME + """
                search:
                  optimizer: cmaes
                  population: 4
                  budget: {generations: 2}
                  seed: 5
                """ + EvolveFixture.TASKS, OptionalLong.empty());
        assertLockedAndVerifies(r, 5, List.of("models/base", "models/a", "models/b"));
    }

    @Test
    void dataFlowSpace_bestModelIsLockedAndRebuildsToTheSameBytes() throws Exception {
        EvolutionResult r = evolve("dfs", EvolveFixture.DFS + EvolveFixture.cmaes(2) + """
                  seed: 3
                """ + EvolveFixture.TASKS, OptionalLong.empty());
        assertLockedAndVerifies(r, 3, List.of("models/a", "models/b"));
    }

    @Test
    void pausedRun_writesNoLock() throws Exception {
        EvolutionResult r = evolve("paused", """
                genome:
                  models: [models/a, models/b]
                  merge_method: linear
                  dtype: float32
                search:
                  optimizer: cmaes
                  population: 4
                  budget: {generations: 3}
                """ + EvolveFixture.TASKS, OptionalLong.of(1));
        assertFalse(r.finished());
        assertFalse(Files.exists(r.bestModel().resolve(LockFile.NAME)));
    }
}
