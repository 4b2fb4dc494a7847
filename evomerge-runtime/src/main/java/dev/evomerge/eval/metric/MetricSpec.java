package dev.evomerge.eval.metric;

import dev.evomerge.diag.Requires;

/**
 * One {@code metric_list} entry: which metric, how it is aggregated, which direction is better (as declared, which
 * is what results report and what fitness uses), and, for {@code exact_match}, its comparison options.
 *
 * <p>Immutable and thread-safe.
 *
 * @param kind the metric
 * @param aggregation how per-document values are combined
 * @param higherIsBetter whether larger aggregates are better
 * @param exactMatch the comparison options ({@link ExactMatch#PLAIN} for metrics other than {@code exact_match})
 */
public record MetricSpec(MetricKind kind, Aggregation aggregation, boolean higherIsBetter, ExactMatch exactMatch) {

    public MetricSpec {
        Requires.nonNull("kind, aggregation, exactMatch", kind, aggregation, exactMatch);
    }

    /** The metric with lm-evaluation-harness's defaults. */
    public static MetricSpec of(MetricKind kind) {
        return new MetricSpec(kind, kind.defaultAggregation(), kind.defaultHigherIsBetter(), ExactMatch.PLAIN);
    }

    /** The name in result keys. */
    public String name() {
        return kind.yamlName();
    }
}
