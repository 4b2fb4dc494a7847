package dev.evomerge.eval.harness;

import dev.evomerge.diag.Requires;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One task's aggregated metrics, keyed as lm-evaluation-harness writes them: {@code metric,filter}
 * ({@code exact_match,strict-match}, {@code acc,none}), with standard errors under {@code metric_stderr,filter}
 * where there is one.
 *
 * <p>Immutable and thread-safe.
 *
 * @param task the task name
 * @param alias {@code task_alias}, else the name
 * @param split the split evaluated
 * @param version the task version
 * @param numFewshot examples per prompt
 * @param originalDocs documents in the split
 * @param effectiveDocs documents evaluated
 * @param metrics values by {@code metric,filter}, in lm-evaluation-harness's order (filter by filter)
 * @param stderr standard errors by {@code metric,filter} (absent where lm-evaluation-harness writes {@code N/A})
 * @param higherIsBetter direction by metric name
 */
public record TaskResult(String task, String alias, String split, String version, int numFewshot, int originalDocs,
        int effectiveDocs, Map<String, Double> metrics, Map<String, Double> stderr,
        Map<String, Boolean> higherIsBetter) {

    public TaskResult {
        Requires.nonNull("task, alias, split, version", task, alias, split, version);
        metrics = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
        stderr = Map.copyOf(stderr);
        higherIsBetter = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(higherIsBetter));
    }

    /** A metric's value by its key ({@code acc,none}). */
    public Optional<Double> metric(String key) {
        return Optional.ofNullable(metrics.get(key));
    }
}
