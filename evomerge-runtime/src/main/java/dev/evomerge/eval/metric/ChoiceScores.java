package dev.evomerge.eval.metric;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

/**
 * Scores one {@code multiple_choice} document from its per-choice log-likelihoods, as lm-evaluation-harness's
 * {@code ConfigurableTask.process_results} does: the prediction is the arg-max (numpy's: the first maximum, and a NaN
 * counts as the maximum) of the log-likelihoods ({@code acc}), of the log-likelihoods divided by each choice's length
 * in characters ({@code acc_norm}) or in UTF-8 bytes ({@code acc_bytes}); lengths are of the choice text, without the
 * target delimiter. {@code exact_match} is whether the gold choice is the greedy continuation.
 *
 * {@snippet :
 * // choices " A" ... as "A", "BB", "CCCC"; log-likelihoods -2, -3, -5:
 * // acc picks A (-2); acc_norm compares -2/1, -3/2, -5/4 = -2, -1.5, -1.25 and picks CCCC
 * }
 *
 * <p>Stateless and thread-safe.
 */
public final class ChoiceScores {

    private ChoiceScores() {
    }

    /**
     * The value of {@code metric} for one document.
     *
     * @param metric {@code acc}, {@code acc_norm}, {@code acc_bytes} or {@code exact_match}
     * @param logLikelihoods per choice
     * @param greedy per choice, whether it is the greedy continuation
     * @param choices the choice texts
     * @param gold the indices of the correct choices (one, or several for multiple targets); an index out of range
     *     matches nothing
     */
    public static double score(MetricKind metric, double[] logLikelihoods, boolean[] greedy, List<String> choices,
            Set<Integer> gold) {
        return switch (metric) {
            case ACC -> gold.contains(argMax(logLikelihoods)) ? 1.0 : 0.0;
            case ACC_NORM -> gold.contains(argMax(divided(logLikelihoods, choices, false))) ? 1.0 : 0.0;
            case ACC_BYTES -> gold.contains(argMax(divided(logLikelihoods, choices, true))) ? 1.0 : 0.0;
            case EXACT_MATCH -> gold.stream().anyMatch(g -> g >= 0 && g < greedy.length && greedy[g]) ? 1.0 : 0.0;
            case PERPLEXITY -> throw new IllegalArgumentException("perplexity is not a multiple-choice metric");
        };
    }

    /** numpy's {@code argmax}: the first index of the maximum, where NaN is larger than everything. */
    public static int argMax(double[] values) {
        int best = 0;
        for (int i = 0; i < values.length; i++) {
            if (Double.isNaN(values[i])) {
                return i;
            }
            if (values[i] > values[best]) {
                best = i;
            }
        }
        return best;
    }

    /** Log-likelihoods over lengths (as numpy divides: by zero gives ±inf or NaN). */
    static double[] divided(double[] logLikelihoods, List<String> choices, boolean bytes) {
        double[] out = new double[logLikelihoods.length];
        for (int i = 0; i < out.length; i++) {
            String c = choices.get(i);
            double length = bytes ? c.getBytes(StandardCharsets.UTF_8).length : c.codePointCount(0, c.length());
            out[i] = logLikelihoods[i] / length;
        }
        return out;
    }
}
