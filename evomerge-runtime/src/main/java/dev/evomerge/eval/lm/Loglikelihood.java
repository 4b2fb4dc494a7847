package dev.evomerge.eval.lm;

/**
 * The answer to a {@link LoglikelihoodRequest}.
 *
 * @param logProb the natural-log probability of the continuation, summed over its tokens
 * @param greedy whether every continuation token is the model's arg-max
 */
public record Loglikelihood(double logProb, boolean greedy) {
}
