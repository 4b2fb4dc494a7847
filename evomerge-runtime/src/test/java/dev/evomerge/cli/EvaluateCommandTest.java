package dev.evomerge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.evomerge.Merge;
import dev.evomerge.MergeRequest;
import dev.evomerge.eval.harness.EvaluationOptions;
import dev.evomerge.eval.harness.EvaluationResults;
import dev.evomerge.eval.harness.EvaluationRunner;
import dev.evomerge.eval.harness.TaskRun;
import dev.evomerge.eval.lm.InProcessLanguageModel;
import dev.evomerge.eval.task.Task;
import dev.evomerge.event.EventListener;
import dev.evomerge.infer.InferenceEngine;
import dev.evomerge.search.evolve.EvolveFixture;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code evomerge evaluate}: a model directory, a merge config merged in memory, and the user errors. */
class EvaluateCommandTest {

    @TempDir
    static Path dir;

    private static final ObjectMapper JSON = new ObjectMapper();
    private final CapturedCli cli = new CapturedCli();

    @BeforeAll
    static void fixture() {
        EvolveFixture.create(dir);
    }

    private int run(String... args) {
        return cli.run(args);
    }

    private static Path resource(String name) throws URISyntaxException {
        return Path.of(EvaluateCommandTest.class.getResource("/eval/lmeval/tasks/" + name).toURI());
    }

    @Test
    void model_threeTaskKinds_resultsAsTheRunnerComputesThem_andOneSampleLinePerDocument() throws Exception {
        Path model = dir.resolve("models/base");
        List<Path> tasks = List.of(dir.resolve("tasks/words.yaml"), resource("colors_mc.yaml"),
                resource("arith_zeroshot.yaml"));
        Path results = dir.resolve("out/results.json");
        Path samples = dir.resolve("out/samples.jsonl");
        assertEquals(0, run("evaluate", "--model", model.toString(), "--task", tasks.get(0).toString(),
                tasks.get(1).toString(), tasks.get(2).toString(), "--limit", "3", "--batch-size", "2", "--threads",
                "1", "--output", results.toString(), "--log-samples", samples.toString()), cli.err());

        List<TaskRun> runs = new ArrayList<>();
        for (Path t : tasks) {
            runs.add(TaskRun.of(Task.load(t, EventListener.NONE)).withLimit(3));
        }
        EvaluationResults expected;
        try (InferenceEngine engine = InferenceEngine.cpu(1);
                InProcessLanguageModel lm = InProcessLanguageModel.open(engine, model, 2, EventListener.NONE)) {
            expected = EvaluationRunner.run(lm, runs, EvaluationOptions.defaults(EventListener.NONE));
        }
        JsonNode written = JSON.readTree(Files.readString(results)).get("results");
        JsonNode direct = expected.toJson().get("results");
        assertEquals(direct, written);
        double perplexity = written.get("words").get("perplexity,none").asDouble();
        assertTrue(perplexity > 1, written.toString());
        assertTrue(written.get("colors_mc").has("acc,none"), written.toString());
        assertTrue(written.get("arith_zeroshot").has("exact_match,strict-match"), written.toString());
        // one line per document and filter, as lm-evaluation-harness logs them: arith has two filters
        assertEquals(3 + 3 + 2 * 3, Files.readAllLines(samples).size());
        assertTrue(cli.out().lines().anyMatch(l -> l.startsWith("words") && l.contains("perplexity,none")),
                cli.out());
    }

    @Test
    void config_mergedInMemory_sameResultsAsTheWrittenMerge() throws Exception {
        Path config = dir.resolve("linear.yml");
        Files.writeString(config, """
                merge_method: linear
                models:
                  - model: %s
                    parameters: {weight: 0.7}
                  - model: %s
                    parameters: {weight: 0.3}
                dtype: float32
                """.formatted(dir.resolve("models/a"), dir.resolve("models/b")));
        Merge.standard().run(new MergeRequest(config, dir.resolve("merged"), 0, MergeRequest.DEFAULT_SHARD_SIZE, 1,
                1L << 30, true, dir, Map.of()), EventListener.NONE);
        Path task = dir.resolve("tasks/words.yaml");
        Path fromDisk = dir.resolve("disk.json");
        Path inMemory = dir.resolve("memory.json");
        assertEquals(0, run("evaluate", "--model", dir.resolve("merged").toString(), "--task", task.toString(),
                "--threads", "1", "--output", fromDisk.toString()), cli.err());
        assertEquals(0, run("evaluate", "--config", config.toString(), "--task", task.toString(), "--threads", "1",
                "--output", inMemory.toString()), cli.err().isEmpty() ? cli.out() : cli.err());
        assertEquals(JSON.readTree(Files.readString(fromDisk)).get("results"),
                JSON.readTree(Files.readString(inMemory)).get("results"));
    }

    @Test
    void modelAndConfigTogether_userError() {
        assertEquals(2, run("evaluate", "--model", "m", "--config", "c.yml", "--task", "t.yaml"));
        assertTrue(cli.err().contains("--model=DIR, --config=MERGE.yml are mutually exclusive"),
                cli.err());
    }

    @Test
    void notAModelDirectory_oneErrorLine() {
        Path missing = dir.resolve("absent");
        assertEquals(2, run("evaluate", "--model", missing.toString(), "--task",
                dir.resolve("tasks/words.yaml").toString()));
        assertEquals("error: " + missing + ": is not a model directory (it has no config.json); give a Hugging Face"
                + " model directory with config.json, safetensors weights and a tokenizer", cli.err().strip());
    }

    @Test
    void missingTaskFile_oneErrorLine() {
        Path task = dir.resolve("tasks/none.yaml");
        assertEquals(2, run("evaluate", "--model", dir.resolve("models/base").toString(), "--task",
                task.toString()));
        assertTrue(cli.err().startsWith("error: " + task), cli.err());
        assertEquals(1, cli.err().lines().count(), cli.err());
    }
}
