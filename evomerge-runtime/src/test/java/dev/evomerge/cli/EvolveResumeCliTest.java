package dev.evomerge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.evomerge.search.evolve.EvolveFixture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code evomerge evolve --resume} of a run whose inputs changed: exit 2 with one {@code error:} line. */
class EvolveResumeCliTest {

    private static final String CONFIG = EvolveFixture.GENOME + """
            search:
              optimizer: cmaes
              population: 4
              budget: {generations: 2}
            """ + EvolveFixture.TASKS;

    @TempDir
    Path dir;

    private final CapturedCli cli = new CapturedCli();

    private int run(String... args) {
        return cli.run(args);
    }

    @Test
    void resume_afterTheDataChanged_exitsTwoWithOneLine() throws IOException {
        EvolveFixture.create(dir);
        // model paths resolve against the working directory: make them absolute
        Path config = Files.writeString(dir.resolve("evolve.yml"), CONFIG.replace("models/", dir + "/models/")
                .replace("file: tasks/", "file: " + dir + "/tasks/"));
        String work = dir.resolve("work").toString();
        assertEquals(0, run("evolve", config.toString(), "--work-dir", work, "--generations", "1"), cli.err());
        Files.writeString(dir.resolve("data/words/validation.jsonl"),
                "{\"context\": \"Grass is\", \"word\": \"green\"}\n", StandardOpenOption.APPEND);

        int status = run("evolve", config.toString(), "--work-dir", work, "--resume");

        String text = cli.err().strip();
        assertEquals(EvomergeCli.USER_ERROR, status, text);
        assertEquals(1, text.lines().count(), text);
        assertTrue(text.startsWith("error: "), text);
        assertTrue(text.contains("holds a run that started from other inputs: the data file "), text);
        assertTrue(text.contains("data/words/validation.jsonl changed"), text);
        assertTrue(text.contains("; resume with the inputs it started with, or pass --force"), text);
        assertFalse(text.contains("Exception"), text);
    }
}
