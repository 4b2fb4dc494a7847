package dev.evomerge.eval;

/**
 * Scores candidates on a fixed set of tasks: {@link InProcessEvaluator} runs evomerge's own forward pass,
 * {@link ExternalEvaluator} runs a command (lm-evaluation-harness with vLLM on a GPU machine, say) and reads its
 * results JSON. A failing candidate is an {@link EvaluationOutcome.Failed}, never an exception, so a search goes on.
 *
 * <p>Implementations say whether they are thread-safe.
 */
@FunctionalInterface
public interface Evaluator {

    /** Evaluates one candidate. */
    EvaluationOutcome evaluate(Candidate candidate);
}
