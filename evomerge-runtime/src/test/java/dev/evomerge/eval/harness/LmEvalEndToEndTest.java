package dev.evomerge.eval.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.evomerge.eval.lm.InProcessLanguageModel;
import dev.evomerge.eval.task.Task;
import dev.evomerge.event.EventListener;
import dev.evomerge.infer.InferenceEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every committed task file evaluated end to end on the tiny Llama (evomerge's forward pass on DJL, its tokenizer
 * through DJL's tokenizers, its ChatML chat template through Jinjava), compared with what lm-evaluation-harness 0.4.13
 * measured with transformers on the same model: per-request log-likelihoods and greedy flags, generated text, filtered
 * answers, per-document metrics, and the aggregated results under lm-evaluation-harness's keys.
 */
class LmEvalEndToEndTest {

    private static InferenceEngine engine;

    @BeforeAll
    static void start() {
        engine = InferenceEngine.cpu(1);
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    @Test
    void evaluate_everyTaskOnTinyModel_matchesLmEval(@TempDir Path tmp) throws Exception {
        JsonNode golden = LmEvalGolden.golden().get("tasks");
        List<Task> tasks = LmEvalGolden.tasks();
        List<TaskRun> runs = tasks.stream().map(TaskRun::of).toList();
        Path samplesFile = tmp.resolve("samples.jsonl");
        EvaluationResults results;
        try (InProcessLanguageModel model = InProcessLanguageModel.open(engine, LmEvalGolden.MODEL, 4,
                EventListener.NONE); SampleLog log = SampleLog.jsonl(samplesFile)) {
            results = EvaluationRunner.run(model, runs, EvaluationOptions.defaults(EventListener.NONE)
                    .withSamples(log));
        }
        List<JsonNode> lines = new ArrayList<>();
        for (String line : Files.readAllLines(samplesFile)) {
            lines.add(new com.fasterxml.jackson.databind.ObjectMapper().readTree(line));
        }
        int checkedGenerations = 0;
        for (Task task : tasks) {
            JsonNode g = golden.get(task.name());
            TaskResult ours = results.task(task.name()).orElseThrow();
            for (JsonNode sample : g.get("samples")) {
                JsonNode mine = find(lines, task.name(), sample.get("doc_id").asInt(), sample.get("filter").asText());
                String where = task.name() + " doc " + sample.get("doc_id") + " filter " + sample.get("filter");
                JsonNode resps = sample.get("resps");
                for (int r = 0; r < resps.size(); r++) {
                    JsonNode theirs = resps.get(r).get(0);
                    JsonNode response = mine.get("resps").get(r).get(0);
                    if (theirs.isArray()) {
                        double expected = theirs.get(0).asDouble();
                        double actual = response.get(0).asDouble();
                        assertEquals(expected, actual, 1e-4 * Math.max(1, Math.abs(expected)), where + " ll " + r);
                        assertEquals(theirs.get(1).asBoolean(), response.get(1).asBoolean(), where + " greedy " + r);
                    } else {
                        double gap = g.get("greedy_gaps").get(sample.get("doc_id").asText()).asDouble();
                        assertTrue(gap > 1e-3, "a near tie would make the comparison meaningless: " + where);
                        assertEquals(theirs.asText(), response.asText(), where + " generation");
                        assertEquals(sample.get("filtered_resps").get(0).asText(),
                                mine.get("filtered_resps").get(0).asText(), where + " filtered");
                        checkedGenerations++;
                    }
                }
                for (Iterator<Map.Entry<String, JsonNode>> it = sample.get("metrics").fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> m = it.next();
                    assertEquals(m.getValue().asDouble(), mine.get(m.getKey()).asDouble(), 1e-4 * Math.max(1,
                            Math.abs(m.getValue().asDouble())), where + " " + m.getKey());
                }
            }
            ObjectNode json = (ObjectNode) results.toJson().get("results").get(task.name());
            for (Iterator<Map.Entry<String, JsonNode>> it = g.get("results").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String key = e.getKey();
                boolean bootstrapped = key.startsWith("perplexity_stderr");
                if (bootstrapped) {
                    assertEquals("N/A", json.get(key).asText(), "evomerge does not bootstrap: " + key);
                } else if (e.getValue().isNumber()) {
                    double expected = e.getValue().asDouble();
                    assertEquals(expected, json.get(key).asDouble(), 1e-4 * Math.max(1, Math.abs(expected)),
                            task.name() + " " + key);
                } else {
                    assertEquals(e.getValue().asText(), json.get(key).asText(), task.name() + " " + key);
                }
            }
            assertEquals(g.get("n-shot").asInt(), ours.numFewshot(), task.name() + " n-shot");
            g.get("higher_is_better").fields().forEachRemaining(e ->
                    assertEquals(e.getValue().asBoolean(), ours.higherIsBetter().get(e.getKey()), task.name()));
        }
        assertTrue(checkedGenerations >= 24, "generations compared: " + checkedGenerations);
    }

    private static JsonNode find(List<JsonNode> lines, String task, int doc, String filter) {
        return lines.stream().filter(l -> l.get("task").asText().equals(task) && l.get("doc_id").asInt() == doc
                && l.get("filter").asText().equals(filter)).findFirst().orElseThrow(() -> new AssertionError(
                        "no sample line for " + task + " doc " + doc + " filter " + filter));
    }
}
