package dev.evomerge.eval.metric;

import dev.evomerge.config.YamlEnums;
import java.util.Optional;

/**
 * The metrics evomerge computes, with lm-evaluation-harness's names, default aggregation and direction, and the
 * output types each makes sense for:
 *
 * <ul>
 *   <li>{@code exact_match}: generated text equals the target ({@link ExactMatch}); for {@code multiple_choice},
 *       whether greedy decoding would produce the gold choice.</li>
 *   <li>{@code acc}: for {@code multiple_choice}, the choice with the highest log-likelihood is gold; for
 *       {@code loglikelihood}, the target is the greedy continuation.</li>
 *   <li>{@code acc_norm}: the highest log-likelihood divided by the choice's length in characters (Python's
 *       {@code len}, code points, without the target delimiter) is gold.</li>
 *   <li>{@code acc_bytes}: the same, divided by the choice's UTF-8 length in bytes.</li>
 *   <li>{@code perplexity}: the target's log-likelihood, aggregated as {@code exp(-mean)}; lower is better.</li>
 * </ul>
 */
public enum MetricKind {
    EXACT_MATCH(Aggregation.MEAN, true),
    ACC(Aggregation.MEAN, true),
    ACC_NORM(Aggregation.MEAN, true),
    ACC_BYTES(Aggregation.MEAN, true),
    PERPLEXITY(Aggregation.PERPLEXITY, false);

    private final Aggregation defaultAggregation;
    private final boolean higherIsBetter;

    MetricKind(Aggregation defaultAggregation, boolean higherIsBetter) {
        this.defaultAggregation = defaultAggregation;
        this.higherIsBetter = higherIsBetter;
    }

    /** The metric named as task files name it. */
    public static Optional<MetricKind> named(String name) {
        return YamlEnums.named(MetricKind.class, name);
    }

    /** The name in task files and result keys. */
    public String yamlName() {
        return YamlEnums.yamlName(this);
    }

    /** lm-evaluation-harness's aggregation when the task file names none. */
    public Aggregation defaultAggregation() {
        return defaultAggregation;
    }

    /** lm-evaluation-harness's direction when the task file does not say. */
    public boolean defaultHigherIsBetter() {
        return higherIsBetter;
    }
}
