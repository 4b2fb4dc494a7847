package dev.evomerge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line takes the defaults and option meanings the Maven goals take ({@link dev.evomerge.Defaults}). */
class SharedDefaultsCliTest {

    @TempDir
    Path tmp;

    private final CapturedCli cli = new CapturedCli();

    private int run(String... args) {
        return cli.run(args);
    }

    private void synth(Path dir, String seed) {
        assertEquals(0, run("synth", dir.toString(), "--layers", "1", "--hidden", "16", "--intermediate", "24",
                "--vocab", "32", "--heads", "2", "--seed", seed), cli.err());
    }

    @Test
    void synth_noDtype_writesFloat32AsTheMavenGoalDoes() {
        Path m = tmp.resolve("m");
        synth(m, "1");
        assertEquals(0, run("inspect", m.toString()), cli.err());
        assertTrue(cli.out().contains("dtypes:       F32 ("), cli.out());
    }

    @Test
    void merge_threadsZero_meansOnePerProcessorAndMerges() throws IOException {
        synth(tmp.resolve("a"), "1");
        synth(tmp.resolve("b"), "2");
        Path config = Files.writeString(tmp.resolve("merge.yml"), """
                merge_method: linear
                models:
                  - model: %s
                    parameters: {weight: 0.5}
                  - model: %s
                    parameters: {weight: 0.5}
                """.formatted(tmp.resolve("a"), tmp.resolve("b")));
        assertEquals(0, run("merge", config.toString(), tmp.resolve("out").toString(), "--threads", "0"),
                cli.err());
        assertTrue(Files.isRegularFile(tmp.resolve("out/config.json")));
    }

    @Test
    void merge_negativeThreads_userErrorExitTwo() throws IOException {
        Path config = Files.writeString(tmp.resolve("merge.yml"), "merge_method: linear\n");
        assertEquals(2, run("merge", config.toString(), tmp.resolve("out").toString(), "--threads", "-2"));
        assertTrue(cli.err().contains("threads must be 0 (one per processor) or more, got -2"), cli.err());
    }
}
