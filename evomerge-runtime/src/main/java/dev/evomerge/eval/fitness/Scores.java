package dev.evomerge.eval.fitness;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What an evaluation scored: per task, per metric key ({@code acc,none}), a number. It is what fitness is computed
 * from, whether the numbers came from evomerge's own run or from an external evaluator's results JSON.
 *
 * <p>Immutable and thread-safe.
 *
 * @param values per task, per metric key
 */
public record Scores(Map<String, Map<String, Double>> values) {

    public Scores {
        Map<String, Map<String, Double>> copy = new LinkedHashMap<>();
        values.forEach((task, metrics) -> copy.put(Objects.requireNonNull(task, "task"),
                java.util.Collections.unmodifiableMap(new LinkedHashMap<>(metrics))));
        values = java.util.Collections.unmodifiableMap(copy);
    }

    /**
     * A metric of a task. The key is as lm-evaluation-harness writes it ({@code exact_match,strict-match}); a key
     * without a filter ({@code acc}) also finds {@code acc,none}.
     */
    public Optional<Double> get(String task, String metric) {
        Map<String, Double> m = values.get(task);
        if (m == null) {
            return Optional.empty();
        }
        Double v = m.get(metric);
        if (v == null && !metric.contains(",")) {
            v = m.get(metric + ",none");
        }
        return Optional.ofNullable(v);
    }
}
