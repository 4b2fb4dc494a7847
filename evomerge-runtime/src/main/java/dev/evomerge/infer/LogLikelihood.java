package dev.evomerge.infer;

/**
 * The answer to a {@link ContinuationRequest}, as lm-evaluation-harness reports it.
 *
 * @param logProb the sum over the continuation's tokens of their natural-log probabilities (float32 log-softmax,
 *     summed in double)
 * @param greedy whether every continuation token is the arg-max of its distribution, i.e. greedy decoding would
 *     have produced the continuation
 */
public record LogLikelihood(double logProb, boolean greedy) {
}
