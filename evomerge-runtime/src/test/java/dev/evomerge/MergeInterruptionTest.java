package dev.evomerge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.evomerge.cli.EvomergeCli;
import dev.evomerge.diag.ConfigException;
import dev.evomerge.diag.InputException;
import dev.evomerge.event.Event;
import dev.evomerge.event.EventListener;
import dev.evomerge.model.Architectures;
import dev.evomerge.model.ModelDirectory;
import dev.evomerge.model.ModelReference;
import dev.evomerge.model.ResolvedModel;
import dev.evomerge.model.SyntheticModel;
import dev.evomerge.tensor.DType;
import dev.evomerge.tensor.io.OwnerFile;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A merge's output directory: one owner at a time, nothing left behind by interruptions, inputs never deleted. */
class MergeInterruptionTest {

    @TempDir
    static Path dir;

    private static final String LINEAR = """
            merge_method: linear
            models:
              - model: a
                parameters: {weight: 0.5}
              - model: b
                parameters: {weight: 0.5}
            dtype: float32
            """;

    @BeforeAll
    static void models() throws IOException {
        new SyntheticModel("llama", 2, 32, 64, 64, 4, 2, DType.F32, 1).write(dir.resolve("a"), false);
        var a = ModelDirectory.load(new ResolvedModel(ModelReference.of("a"), dir.resolve("a"), false),
                Architectures.builtIn());
        SyntheticModel.perturb(a, dir.resolve("b"), 0.3, 2, false);
        Files.writeString(dir.resolve("linear.yml"), LINEAR);
    }

    private static MergeResult merge(Path out, boolean overwrite, EventListener events) {
        return Merge.standard().run(new MergeRequest(dir.resolve("linear.yml"), out, 7, 1L << 30, 1, 1L << 30, overwrite, dir,
                Map.of()), events);
    }

    /** The pid of a process that has ended. */
    static long deadPid() throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        return p.pid();
    }

    private static List<String> names(Path d) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void run_outputHeldByAnotherRun_refusedNamingTheHolder() throws IOException {
        Path out = dir.resolve("held");
        try (OwnerFile holder = OwnerFile.claimOutput(out, EventListener.NONE)) {
            var e = assertThrows(InputException.class, () -> merge(out, false, EventListener.NONE));
            assertTrue(e.userMessage().contains("is in use by another evomerge run (process "
                    + ProcessHandle.current().pid() + " on "), e.userMessage());
            assertFalse(Files.exists(out));
        }
        merge(out, false, EventListener.NONE);
        assertFalse(Files.exists(dir.resolve(".held" + OwnerFile.NAME)), "the owner file goes with its run");
    }

    @Test
    void run_staleOwnerAndStagingOfAKilledRun_takenOverAndRemoved() throws Exception {
        Path out = dir.resolve("stale");
        long dead = deadPid();
        Files.writeString(dir.resolve(".stale" + OwnerFile.NAME),
                "{\"pid\":" + dead + ",\"host\":\"elsewhere\",\"started\":\"2026-01-01T00:00:00Z\"}\n");
        Path staging = Files.createDirectories(dir.resolve(".stale.tmp-" + dead + "-0"));
        Files.write(staging.resolve("model-00001-of-00001.safetensors"), new byte[1000]);
        List<String> warnings = new ArrayList<>();
        merge(out, false, e -> {
            if (e instanceof Event.Warning w) {
                warnings.add(w.message());
            }
        });
        assertFalse(Files.exists(staging));
        assertEquals(List.of("taking over " + out + " from an evomerge run that is gone (process " + dead
                + " on elsewhere since 2026-01-01T00:00:00Z)"), warnings);
        assertTrue(names(dir).stream().noneMatch(n -> n.startsWith(".stale")), names(dir).toString());
    }

    @Test
    void run_killedWhileOverwriting_previousOutputRestoredByTheNextRun() throws Exception {
        Path out = dir.resolve("restored");
        long dead = deadPid();
        // what a run killed between "set the old output aside" and "move the new one in" leaves
        Path aside = Files.createDirectories(dir.resolve(".restored.old-" + dead + "-3"));
        Files.writeString(aside.resolve("config.json"), "{}");
        var e = assertThrows(InputException.class, () -> merge(out, false, EventListener.NONE));
        assertTrue(e.userMessage().contains("output directory exists and is not empty"), e.userMessage());
        assertEquals(List.of("config.json"), names(out));
        assertFalse(Files.exists(aside));
    }

    @Test
    void sigterm_duringMerge_stagingAndOwnerFileRemoved() throws Exception {
        Path big = dir.resolve("big");
        new SyntheticModel("llama", 8, 512, 1024, 4096, 8, 8, DType.F32, 5).write(big.resolve("a"), false);
        var a = ModelDirectory.load(new ResolvedModel(ModelReference.of("a"), big.resolve("a"), false),
                Architectures.builtIn());
        SyntheticModel.perturb(a, big.resolve("b"), 0.3, 2, false);
        Files.writeString(big.resolve("linear.yml"), LINEAR);
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                "dev.evomerge.cli.EvomergeCli", "merge", "linear.yml", "out", "--threads", "1",
                "--memory-budget", "1M")
                .directory(big.toFile()).redirectErrorStream(true)
                .redirectOutput(big.resolve("child.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (child.isAlive() && System.nanoTime() < deadline && names(big).stream()
                .noneMatch(n -> n.startsWith(".out.tmp-") && hasShard(big.resolve(n)))) {
            Thread.sleep(2);
        }
        assertTrue(child.isAlive(), () -> "the merge ended before it could be stopped: " + log(big));
        child.destroy(); // SIGTERM
        assertTrue(child.waitFor(30, TimeUnit.SECONDS));
        assertEquals(List.of("a", "b", "child.log", "linear.yml"), names(big), () -> log(big));
    }

    private static boolean hasShard(Path staging) {
        try (Stream<Path> s = Files.list(staging)) {
            return s.findAny().isPresent();
        } catch (IOException e) {
            return false;
        }
    }

    private static String log(Path d) {
        try {
            return Files.readString(d.resolve("child.log"));
        } catch (IOException e) {
            return e.toString();
        }
    }

    @Test
    void overwrite_outputIsOrContainsTheInputs_refusedAndNothingDeleted() throws IOException {
        var cwd = assertThrows(InputException.class, () -> merge(dir, true, EventListener.NONE));
        assertTrue(cwd.userMessage().contains("the output directory is the base directory")
                || cwd.userMessage().contains("contains the merge config"), cwd.userMessage());
        var model = assertThrows(InputException.class, () -> merge(dir.resolve("a"), true, EventListener.NONE));
        assertTrue(model.userMessage().contains("the output directory is an input model"), model.userMessage());
        assertTrue(Files.exists(dir.resolve("linear.yml")));
        assertTrue(Files.exists(dir.resolve("a").resolve("config.json")));
    }

    @Test
    void overwrite_inputModelInsideOutput_refused() throws IOException {
        Path outer = Files.createDirectories(dir.resolve("outer"));
        new SyntheticModel("llama", 2, 32, 64, 64, 4, 2, DType.F32, 1).write(outer.resolve("m"), false);
        Path cfg = Files.writeString(dir.resolve("inner.yml"), LINEAR.replace("model: a", "model: outer/m"));
        var e = assertThrows(InputException.class, () -> Merge.standard().run(new MergeRequest(cfg, outer, 7, 1L << 30, 1,
                1L << 30, true, dir, Map.of()), EventListener.NONE));
        assertTrue(e.userMessage().contains("contains an input model"), e.userMessage());
        assertTrue(Files.exists(outer.resolve("m").resolve("config.json")));
    }

    @Test
    void cli_rootAsOutput_oneErrorLineNoStackTrace() {
        StringWriter err = new StringWriter();
        int status = EvomergeCli.run(new String[] {"merge", dir.resolve("linear.yml").toString(), "/", "--overwrite"},
                new PrintWriter(new StringWriter(), true), new PrintWriter(err, true));
        assertEquals(EvomergeCli.USER_ERROR, status, err.toString());
        assertEquals(1, err.toString().lines().count(), err.toString());
        assertTrue(err.toString().startsWith("error: /: "), err.toString());
    }

    @Test
    void inputTruncatedDuringTheMerge_namedAsChanged_stagingRemoved() throws Exception {
        Path d = Files.createDirectories(dir.resolve("truncated"));
        new SyntheticModel("llama", 2, 64, 128, 256, 4, 2, DType.F32, 1).write(d.resolve("a"), false);
        var a = ModelDirectory.load(new ResolvedModel(ModelReference.of("a"), d.resolve("a"), false),
                Architectures.builtIn());
        SyntheticModel.perturb(a, d.resolve("b"), 0.3, 2, false);
        Path cfg = Files.writeString(d.resolve("linear.yml"), LINEAR);
        Path weights = d.resolve("b").resolve("model.safetensors");
        EventListener truncateOnStart = e -> {
            if (e instanceof Event.Lifecycle l && l.message().startsWith("Merging ")) {
                try (var ch = java.nio.channels.FileChannel.open(weights, java.nio.file.StandardOpenOption.WRITE)) {
                    ch.truncate(4096); // header kept, tensor data gone, under the mapping
                } catch (IOException x) {
                    throw new java.io.UncheckedIOException(x);
                }
            }
        };
        var e = assertThrows(InputException.class, () -> Merge.standard().run(new MergeRequest(cfg, d.resolve("out"), 7,
                1L << 30, 1, 1L << 30, false, d, Map.of()), truncateOnStart));
        assertEquals(weights + ": changed size while the merge was reading it; leave the input models alone during"
                + " a merge, then run it again", e.userMessage());
        assertEquals(List.of("a", "b", "linear.yml"), names(d));
    }

    @Test
    void run_failsBeforeWriting_leavesNoDirectoryItCreated() {
        Path out = dir.resolve("new-parent").resolve("deeper").resolve("out");
        assertThrows(ConfigException.class, () -> Merge.standard().run(new MergeRequest(dir.resolve("linear.yml"), out, 7,
                1L << 30, 1, 1L << 30, false, dir.resolve("nowhere"), Map.of()), EventListener.NONE));
        assertFalse(Files.exists(dir.resolve("new-parent")));
    }
}
