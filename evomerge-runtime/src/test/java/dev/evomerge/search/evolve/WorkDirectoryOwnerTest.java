package dev.evomerge.search.evolve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.evomerge.diag.EvomergeException;
import dev.evomerge.diag.InputException;
import dev.evomerge.event.Event;
import dev.evomerge.event.EventListener;
import dev.evomerge.model.ModelResolver;
import dev.evomerge.tensor.io.OwnerFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An evolve work directory has one owner for a run's life, and what a killed run left in it is cleaned up. */
class WorkDirectoryOwnerTest {

    @TempDir
    static Path dir;

    private static final String PS = EvolveFixture.GENOME + EvolveFixture.cmaes(1) + """
              seed: 5
            """ + EvolveFixture.TASKS;

    @BeforeAll
    static void fixture() throws IOException {
        EvolveFixture.create(dir);
        Files.writeString(dir.resolve("ps.yml"), PS);
    }

    private static EvolutionResult run(String config, Path work, boolean resume, List<String> warnings) {
        EventListener listener = e -> {
            if (e instanceof Event.Warning w) {
                warnings.add(w.message());
            }
        };
        return EvolutionRun.run(EvolveConfigReader.read(dir.resolve(config), listener), work, resume,
                new ModelResolver(dir, Map.of()), listener);
    }

    static long deadPid() throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        return p.pid();
    }

    @Test
    void run_workDirectoryHeldByAnotherRun_refusedNamingTheHolder() throws IOException {
        Path work = Files.createDirectories(dir.resolve("work-held"));
        try (OwnerFile holder = OwnerFile.claimDirectory(work, EventListener.NONE)) {
            var e = assertThrows(InputException.class, () -> run("ps.yml", work, false, new ArrayList<>()));
            assertEquals(work + ": is in use by another evomerge run (process " + ProcessHandle.current().pid()
                    + " on " + hostOf(holder) + ", owner file .evomerge.owner); wait for that run to end, or stop it",
                    e.userMessage().replaceAll(" since \\S+,", ","));
            assertFalse(Files.exists(work.resolve("history.jsonl")));
        }
    }

    private static String hostOf(OwnerFile f) throws IOException {
        String text = Files.readString(f.file());
        return text.replaceAll("(?s).*\"host\":\"([^\"]*)\".*", "$1");
    }

    @Test
    void resume_afterAKill_staleOwnerAndBestStagingRemoved() throws Exception {
        Path work = dir.resolve("work-killed");
        run("ps.yml", work, false, new ArrayList<>());
        long dead = deadPid();
        Files.writeString(work.resolve(OwnerFile.NAME), "{\"pid\":" + dead + ",\"host\":\"h\"}\n");
        Path staging = Files.createDirectories(work.resolve(".best.tmp-" + dead + "-0"));
        Files.write(staging.resolve("model.safetensors"), new byte[4096]);
        Path candidate = Files.createDirectories(work.resolve("scratch").resolve("ps-g0-c0"));
        Files.write(candidate.resolve("model.safetensors"), new byte[4096]);
        List<String> warnings = new ArrayList<>();
        run("ps.yml", work, true, warnings);
        assertFalse(Files.exists(staging), "a killed run's staging directory does not survive --resume");
        assertFalse(Files.exists(work.resolve("scratch")), "nor the candidates it was writing");
        assertFalse(Files.exists(work.resolve(OwnerFile.NAME)));
        assertTrue(warnings.contains("taking over " + work + " from an evomerge run that is gone (process " + dead
                + " on h)"), warnings.toString());
    }

    @Test
    void run_configErrorBeforeTheFirstCandidate_leavesNoWorkDirectory() throws IOException {
        Files.writeString(dir.resolve("tasks/bad.yaml"), Files.readString(dir.resolve("tasks/words.yaml"))
                + "process_docs: utils.process\n");
        Files.writeString(dir.resolve("missing-task.yml"), PS.replace("tasks/words.yaml", "tasks/bad.yaml"));
        Path work = dir.resolve("work-never");
        var e = assertThrows(EvomergeException.class, () -> run("missing-task.yml", work, false, new ArrayList<>()));
        assertTrue(e.userMessage().contains("process_docs"), e.userMessage());
        assertFalse(Files.exists(work), "a run that never started leaves no work directory");
    }

    @Test
    void resume_corruptCheckpoint_oneLineError() throws IOException {
        Path work = dir.resolve("work-corrupt");
        Files.createDirectories(Checkpoint.file(work).getParent());
        Files.writeString(Checkpoint.file(work), "{\"format\": \"evomerge-checkpoint\",\n  \"version\": [1,\n");
        var e = assertThrows(InputException.class, () -> run("ps.yml", work, true, new ArrayList<>()));
        assertEquals(1, e.userMessage().lines().count(), e.userMessage());
        assertTrue(e.userMessage().startsWith(Checkpoint.file(work) + ": it cannot be read ("), e.userMessage());
    }

    @Test
    void sigterm_duringARun_ownerFileAndScratchRemoved() throws Exception {
        Path config = Files.writeString(dir.resolve("long.yml"), PS.replace("generations: 1", "generations: 50"));
        Path work = dir.resolve("work-sigterm");
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                "dev.evomerge.cli.EvomergeCli", "evolve", config.toString(), "--work-dir", work.toString())
                .directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("sigterm.log").toFile()).start();
        Path history = work.resolve("history.jsonl");
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.MINUTES.toNanos(2);
        while (child.isAlive() && System.nanoTime() < deadline
                && (!Files.exists(history) || Files.readAllLines(history).size() < 4)) {
            Thread.sleep(20);
        }
        assertTrue(child.isAlive(), () -> "the run ended before it could be stopped");
        assertTrue(Files.exists(work.resolve(OwnerFile.NAME)));
        child.destroy(); // SIGTERM
        assertTrue(child.waitFor(60, java.util.concurrent.TimeUnit.SECONDS));
        assertFalse(Files.exists(work.resolve(OwnerFile.NAME)), "the owner file goes with SIGTERM");
        assertFalse(Files.exists(work.resolve("scratch")));
    }
}
