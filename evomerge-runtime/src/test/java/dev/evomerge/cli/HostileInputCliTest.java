package dev.evomerge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.evomerge.diag.ConfigException;
import dev.evomerge.eval.task.TaskFileReader;
import dev.evomerge.event.EventListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hostile but realistic inputs through the command line: exit 2 with one {@code error:} line, quickly. */
class HostileInputCliTest {

    @TempDir
    Path dir;

    private final CapturedCli cli = new CapturedCli();

    private int run(String... args) {
        return assertTimeoutPreemptively(Duration.ofSeconds(20),
                () -> cli.run(args));
    }

    /** Ten anchored lines of nine aliases each: 9^10 nodes once expanded. */
    static String aliasBomb(String key) {
        StringBuilder b = new StringBuilder("a0: &a0 [x, x, x, x, x, x, x, x, x]\n");
        for (int i = 1; i <= 10; i++) {
            b.append("a").append(i).append(": &a").append(i).append(" [")
                    .append(String.join(", ", Collections.nCopies(9, "*a" + (i - 1)))).append("]\n");
        }
        return b + key + ": *a10\n";
    }

    private void assertOneErrorLine(int status, String expectedPart) {
        assertEquals(EvomergeCli.USER_ERROR, status, cli.err());
        String text = cli.err();
        assertEquals(1, text.lines().count(), text);
        assertTrue(text.startsWith("error: "), text);
        assertFalse(text.startsWith("error: Error"), text);
        assertTrue(text.contains(expectedPart), text);
    }

    @Test
    void aliasBomb_mergeConfig_refusedWithPosition() throws IOException {
        Path cfg = Files.writeString(dir.resolve("merge.yml"), aliasBomb("models"));
        assertOneErrorLine(run("merge", cfg.toString(), dir.resolve("out").toString()),
                "merge.yml:");
        assertTrue(cli.err().contains("expands into more than 100000 nodes"), cli.err());
        assertFalse(Files.exists(dir.resolve("out")));
    }

    @Test
    void aliasBomb_evolveConfig_refused() throws IOException {
        Path cfg = Files.writeString(dir.resolve("evolve.yml"), aliasBomb("tasks"));
        assertOneErrorLine(run("evolve", cfg.toString(), "--work-dir", dir.resolve("work").toString()),
                "expands into more than 100000 nodes");
    }

    @Test
    void aliasBomb_evaluateConfigAndTaskFile_refused() throws IOException {
        Path cfg = Files.writeString(dir.resolve("merge.yml"), aliasBomb("models"));
        Path task = Files.writeString(dir.resolve("task.yaml"), aliasBomb("doc_to_text"));
        assertOneErrorLine(run("evaluate", "--config", cfg.toString(), "--task", task.toString()),
                "expands into more than 100000 nodes");
        var e = assertThrows(ConfigException.class, () -> assertTimeoutPreemptively(Duration.ofSeconds(20),
                () -> TaskFileReader.read(task, EventListener.NONE)));
        assertTrue(e.userMessage().contains("task.yaml:") && e.userMessage().contains("100000 nodes"),
                e.userMessage());
    }

    private static void mkfifo(Path p) throws Exception {
        assertEquals(0, new ProcessBuilder("mkfifo", p.toString()).inheritIO().start().waitFor());
    }

    @Test
    void fifo_namedLikeWeightsConfigOrData_refusedInsteadOfBlocking() throws Exception {
        Path model = dir.resolve("model");
        assertEquals(0, run("synth", "--family", "llama", "--layers", "1", "--hidden", "16", "--intermediate", "32",
                "--vocab", "32", "--heads", "2", "--kv-heads", "1", model.toString()), cli.err());
        Files.delete(model.resolve("model.safetensors"));
        mkfifo(model.resolve("model.safetensors"));
        assertOneErrorLine(run("inspect", model.toString()),
                "model.safetensors: is a FIFO, socket or device, not a regular file");

        Path cfg = dir.resolve("merge.yml");
        mkfifo(cfg);
        assertOneErrorLine(run("merge", cfg.toString(), dir.resolve("out").toString()),
                "merge.yml: is a FIFO, socket or device, not a regular file");
    }

    @Test
    void mutuallyExclusiveOptions_oneErrorPrefix() {
        assertEquals(EvomergeCli.USER_ERROR, run("evaluate", "--model", "m", "--config", "c.yml", "--task", "t"));
        String first = cli.err().lines().findFirst().orElseThrow();
        assertTrue(first.startsWith("error: --model=DIR, --config=MERGE.yml are mutually exclusive"), first);
        assertFalse(cli.err().contains("Error: "), cli.err());
    }
}
