package dev.evomerge.eval.metric;

import dev.evomerge.config.YamlEnums;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How per-document metric values become the task's number, as lm-evaluation-harness's aggregations compute it:
 * {@code mean}, {@code median} ({@code sorted(values)[n // 2]}, the upper median) and {@code perplexity}
 * ({@code exp(-mean)} of log-likelihoods). The standard error is lm-evaluation-harness's closed form for the mean
 * (sample standard deviation over √n, for n > 1); the others have none here (lm-evaluation-harness bootstraps
 * them).
 */
public enum Aggregation {
    MEAN,
    MEDIAN,
    PERPLEXITY;

    /** The aggregation named as task files name it. */
    public static Optional<Aggregation> named(String name) {
        return YamlEnums.named(Aggregation.class, name);
    }

    /** The name in task files. */
    public String yamlName() {
        return YamlEnums.yamlName(this);
    }

    /** The aggregate of {@code values} (NaN when there are none). */
    public double apply(List<Double> values) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        return switch (this) {
            case MEAN -> mean(values);
            case MEDIAN -> {
                List<Double> sorted = new ArrayList<>(values);
                sorted.sort(Double::compare);
                yield sorted.get(sorted.size() / 2);
            }
            case PERPLEXITY -> Math.exp(-mean(values));
        };
    }

    /** The standard error of the aggregate, when lm-evaluation-harness has a closed form and n > 1. */
    public Optional<Double> stderr(List<Double> values) {
        if (this != MEAN || values.size() < 2) {
            return Optional.empty();
        }
        double mu = mean(values);
        double squares = 0;
        for (double v : values) {
            squares += (v - mu) * (v - mu);
        }
        return Optional.of(Math.sqrt(squares / (values.size() - 1)) / Math.sqrt(values.size()));
    }

    private static double mean(List<Double> values) {
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        return sum / values.size();
    }
}
