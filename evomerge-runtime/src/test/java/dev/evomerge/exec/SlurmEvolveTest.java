package dev.evomerge.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.evomerge.event.EventListener;
import dev.evomerge.model.ModelResolver;
import dev.evomerge.search.evolve.EvolutionRun;
import dev.evomerge.search.evolve.EvolveConfigReader;
import dev.evomerge.search.evolve.EvolveFixture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code evaluation.mode: slurm} against a real one-node Slurm ({@link SlurmCluster}): the evolve driver runs as the
 * {@code evomerge} command line in a child JVM, each generation's candidates run as one job array whose tasks are
 * {@code evomerge run-candidate} JVMs. A run must end with the recipe, the history and the summary of the same search
 * evaluated in process, whatever happens to the tasks, the node or the driver on the way; tasks that fail every time
 * end as worst candidates with Slurm's reason. (One run carries all the faults: each task is a JVM of its own, and
 * these tests should stay within a few minutes.)
 */
@Tag("slurm")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SlurmEvolveTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    static SlurmCluster cluster;
    static Path local;
    static final List<Process> drivers = new ArrayList<>();

    static final String SEARCH = EvolveFixture.TIES_GENOME + """
            search:
              optimizer: cmaes
              population: 4
              budget: {generations: 3}
              seed: 3
            tasks:
              - file: tasks/words.yaml
                metric: perplexity,none
                lower_is_better: true
                splits: {search: train, validation: validation}
            """;

    static final String SLURM = """
            evaluation:
              mode: slurm
              slurm:
                array_parallelism: 2
                time: "10"
                sbatch_args: [--cpus-per-task=1, --mem=1500]
                retries: %d
            """;

    @BeforeAll
    static void setUp() throws Exception {
        // a test that needs a service says so and fails; it never skips silently
        assertTrue(SlurmCluster.available(), "this test needs slurm-wlm and munge, run as root: install them with"
                + " .ci/packages.sh (what .ci/run does)");
        EvolveFixture.create(dir);
        cluster = SlurmCluster.start(dir.resolve("cluster"));
        Path config = dir.resolve("local.yml");
        Files.writeString(config, SEARCH + "evaluation: {threads: 2}\n");
        local = EvolutionRun.run(EvolveConfigReader.read(config, EventListener.NONE), dir.resolve("work-local"),
                false, new ModelResolver(dir, Map.of()), EventListener.NONE).workDirectory();
    }

    @AfterAll
    static void tearDown() throws Exception {
        for (Process p : drivers) {
            p.destroyForcibly().waitFor();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void tasksFailingEveryTime_retriedThenScoredWorstWithTheReason() throws Exception {
        Path config = dir.resolve("failing.yml");
        Files.writeString(config, SEARCH.replace("generations: 3", "generations: 1") + SLURM.formatted(1)
                + "    evomerge: /bin/false\n");
        Path work = dir.resolve("work-failing");
        Process driver = evolve(config, work, false, "failing");
        assertEquals(2, driver.waitFor(), () -> log("failing"));
        String expected = "its Slurm array task failed (see " + work.resolve("slurm/ps-g0/0/slurm-");
        assertTrue(log("failing").contains("error: every candidate of the ps search failed, "), log("failing"));
        assertTrue(log("failing").contains(expected), log("failing"));
        List<String> history = Files.readAllLines(work.resolve("history.jsonl"));
        assertEquals(4, history.size());
        for (String line : history) {
            JsonNode o = JSON.readTree(line);
            assertTrue(o.get("error").asText().contains("(submitted 2 times)"), line);
            assertTrue(o.get("fitness").isNull() && o.get("scores").isNull(), line);
        }
        assertEquals(2, logs(work.resolve("slurm/ps-g0/3")).size());
    }

    /**
     * One run through every fault: a task cancelled with scancel in the first generation (submitted again), the node
     * drained and then set down under a running task in the second (the task requeued by Slurm, no retry spent: the
     * run allows none), the driver killed with SIGKILL in the third and resumed. It ends as the run in process.
     */
    @Test
    @Order(2)
    void faults_cancelDrainDownAndDriverKill_sameAsInProcess() throws Exception {
        Path config = dir.resolve("faults.yml");
        Files.writeString(config, SEARCH + SLURM.formatted(1));
        Path work = dir.resolve("work-faults");
        Process driver = evolve(config, work, false, "faults");

        String running = awaitTask(l -> l.contains(" RUNNING evomerge-ps-g0-"), driver, "faults");
        cluster.run("scancel", running.split(" ")[0]);
        String cancelled = running.split(" ")[0].split("_")[1];

        awaitTask(l -> l.contains(" RUNNING evomerge-ps-g1-"), driver, "faults");
        cluster.run("scontrol", "update", "nodename=" + cluster.node, "state=drain", "reason=evomerge-test");
        String pending = awaitTask(l -> l.contains(" PENDING evomerge-ps-g1-"), driver, "faults");
        Thread.sleep(1500);
        assertTrue(cluster.queue().stream().anyMatch(l -> l.startsWith(pending.split(" ")[0] + " PENDING")),
                "a drained node starts nothing: " + cluster.queue());
        resumeNode();
        String requeued = awaitTask(l -> l.contains(" RUNNING evomerge-ps-g1-"), driver, "faults");
        cluster.run("scontrol", "update", "nodename=" + cluster.node, "state=down", "reason=evomerge-test");
        awaitTask(l -> l.startsWith(requeued.split(" ")[0] + " PENDING"), driver, "faults");
        resumeNode();
        // Slurm holds a requeued job back for two minutes; the driver only waits, so the test shortens that
        String id = requeued.split(" ")[0];
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (cluster.queue().stream().anyMatch(l -> l.startsWith(id + " PENDING")) && System.nanoTime() < until) {
            for (String line : cluster.queue()) {
                if (line.endsWith(" BeginTime")) {
                    cluster.run("scontrol", "update", "jobid=" + line.split(" ")[0], "starttime=now");
                }
            }
            Thread.sleep(100);
        }

        awaitTask(l -> l.contains(" RUNNING evomerge-ps-g2-"), driver, "faults");
        driver.destroyForcibly().waitFor();
        Path g2 = work.resolve("slurm/ps-g2");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (countResults(g2) == 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertTrue(countResults(g2) > 0, "a task finished while the driver was away");
        driver = evolve(config, work, true, "faults");
        assertEquals(0, driver.waitFor(), () -> log("faults"));

        assertSameAsLocal(work);
        assertNoErrors(work);
        assertTrue(log("faults").contains("ps-g0-c" + cancelled + ": its array task was cancelled; submitting it"
                + " again (1 of 1 retries)"), log("faults"));
        assertEquals(2, logs(work.resolve("slurm/ps-g0/" + cancelled)).size());
        assertFalse(log("faults").contains("ps-g1-c"), "a requeued task is no failure: " + log("faults"));
        for (int g = 1; g < 3; g++) {
            Set<String> jobs = new TreeSet<>();
            for (int c = 0; c < 4; c++) {
                Path folder = work.resolve("slurm/ps-g" + g + "/" + c);
                assertTrue(Files.isRegularFile(folder.resolve("result.json")));
                logs(folder).forEach(l -> jobs.add(l.getFileName().toString().split("_")[0]));
            }
            assertEquals(1, jobs.size(), "generation " + g + " is one job array, requeued or resumed: " + jobs);
        }
        JsonNode submissions = JSON.readTree(g2.resolve(SlurmFolders.SUBMISSIONS).toFile());
        for (int c = 0; c < 4; c++) {
            assertEquals(1, submissions.get(Integer.toString(c)).asInt(), "resubmitted after the resume: "
                    + submissions);
        }
    }

    /** Returns the node to service; Slurm refuses while the node still winds its killed tasks down. */
    private static void resumeNode() throws Exception {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                cluster.run("scontrol", "update", "nodename=" + cluster.node, "state=resume");
                return;
            } catch (IllegalStateException e) {
                // with ReturnToService=2 a node that was set down comes back by itself when slurmd registers; Slurm
                // then refuses "resume" as an invalid state for a node already in service
                String state = cluster.run("sinfo", "--noheader", "--nodes=" + cluster.node, "--format=%T").strip();
                if (!state.matches("(?i).*(down|drain|fail).*")) {
                    return;
                }
                if (System.nanoTime() > until) {
                    throw e;
                }
                Thread.sleep(200);
            }
        }
    }

    private static long countResults(Path batch) throws IOException {
        if (!Files.isDirectory(batch)) {
            return 0;
        }
        try (Stream<Path> s = Files.list(batch)) {
            return s.filter(p -> Files.exists(p.resolve("result.json"))).count();
        }
    }

    /** The run's history (without wall times), its chosen recipe and its summary, beside the local run's. */
    private static void assertSameAsLocal(Path work) throws IOException {
        assertEquals(Files.readString(local.resolve("best.yml")), Files.readString(work.resolve("best.yml")));
        assertEquals(EvolveFixture.historyWithoutSeconds(local), EvolveFixture.historyWithoutSeconds(work));
        JsonNode a = JSON.readTree(local.resolve("summary.json").toFile());
        JsonNode b = JSON.readTree(work.resolve("summary.json").toFile());
        assertEquals(a.get("best"), b.get("best"));
        assertEquals(a.get("sources"), b.get("sources"));
    }

    private static Path config(String name, int retries) throws IOException {
        Path config = dir.resolve(name + ".yml");
        Files.writeString(config, SEARCH + SLURM.formatted(retries));
        return config;
    }

    private static Process evolve(Path config, Path work, boolean resume, String name) throws IOException {
        List<String> argv = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                "dev.evomerge.cli.EvomergeCli", "evolve", config.toString(), "--work-dir", work.toString()));
        if (resume) {
            argv.add("--resume");
        }
        ProcessBuilder pb = new ProcessBuilder(argv).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve(name + "-driver.log").toFile()));
        pb.environment().putAll(cluster.env());
        Process p = pb.start();
        drivers.add(p);
        return p;
    }

    private static List<Path> logs(Path folder) throws IOException {
        try (Stream<Path> s = Files.list(folder)) {
            return s.filter(p -> p.getFileName().toString().startsWith("slurm-")).sorted().toList();
        }
    }

    /** Waits until the queue shows a task matching the test, and returns its line. */
    static String awaitTask(Predicate<String> test, Process driver, String name) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            for (String line : cluster.queue()) {
                if (test.test(line)) {
                    return line;
                }
            }
            assertTrue(driver.isAlive(), () -> "the driver ended: " + log(name));
            Thread.sleep(50);
        }
        throw new AssertionError("no such task in " + cluster.queue() + "\n" + log(name));
    }

    static String log(String name) {
        try {
            return Files.readString(dir.resolve(name + "-driver.log"));
        } catch (IOException e) {
            return e.toString();
        }
    }

    static void assertNoErrors(Path work) throws IOException {
        for (String line : Files.readAllLines(work.resolve("history.jsonl"))) {
            assertTrue(JSON.readTree(line).get("error").isNull(), line);
        }
        assertFalse(Files.exists(work.resolve("scratch")));
    }
}
