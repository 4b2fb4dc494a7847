package dev.evomerge.eval.harness;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.evomerge.diag.InputException;
import dev.evomerge.eval.fitness.Scores;
import dev.evomerge.io.AtomicFile;
import dev.evomerge.json.PythonJsonWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The results of evaluating tasks, in the shape lm-evaluation-harness writes its results JSON, so tools that read one
 * read the other:
 *
 * <pre>{@code
 * {
 *   "results": {"arith": {"name": "arith", "alias": "arith", "sample_len": 4, "exact_match,strict-match": 0.5,
 *                         "exact_match_stderr,strict-match": 0.2886751345948129}},
 *   "versions": {"arith": "Yaml"},
 *   "n-shot": {"arith": 2},
 *   "higher_is_better": {"arith": {"exact_match": true}},
 *   "n-samples": {"arith": {"original": 10, "effective": 4}}
 * }
 * }</pre>
 *
 * A standard error lm-evaluation-harness does not compute in closed form is written as {@code "N/A"}, as it writes
 * it. Immutable and thread-safe.
 *
 * @param tasks the task results, in evaluation order
 */
public record EvaluationResults(List<TaskResult> tasks) {

    public EvaluationResults {
        tasks = List.copyOf(tasks);
    }

    /** A task's result by name. */
    public Optional<TaskResult> task(String name) {
        return tasks.stream().filter(t -> t.task().equals(name)).findFirst();
    }

    /** The numbers, for fitness. */
    public Scores scores() {
        Map<String, Map<String, Double>> values = new LinkedHashMap<>();
        tasks.forEach(t -> values.put(t.task(), t.metrics()));
        return new Scores(values);
    }

    /** The results JSON tree. */
    public ObjectNode toJson() {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode root = f.objectNode();
        ObjectNode results = root.putObject("results");
        ObjectNode versions = root.putObject("versions");
        ObjectNode shots = root.putObject("n-shot");
        ObjectNode higher = root.putObject("higher_is_better");
        ObjectNode samples = root.putObject("n-samples");
        for (TaskResult t : tasks) {
            ObjectNode r = results.putObject(t.task());
            r.put("name", t.task());
            r.put("alias", t.alias());
            r.put("sample_len", t.effectiveDocs());
            t.metrics().forEach((key, value) -> {
                r.put(key, value);
                int comma = key.indexOf(',');
                String stderrKey = key.substring(0, comma) + "_stderr" + key.substring(comma);
                Double se = t.stderr().get(key);
                if (se == null) {
                    r.put(stderrKey, "N/A");
                } else {
                    r.put(stderrKey, se);
                }
            });
            versions.put(t.task(), t.version());
            shots.put(t.task(), t.numFewshot());
            ObjectNode h = higher.putObject(t.task());
            t.higherIsBetter().forEach(h::put);
            ObjectNode n = samples.putObject(t.task());
            n.put("original", t.originalDocs());
            n.put("effective", t.effectiveDocs());
        }
        return root;
    }

    /**
     * Writes the results JSON (laid out as Python's {@code json.dumps(indent=2)}) to {@code file}, through a
     * temporary sibling renamed into place.
     *
     * @throws InputException naming the file when it cannot be written
     */
    public void write(Path file) {
        AtomicFile.write(file, PythonJsonWriter.write(toJson()) + "\n");
    }
}
