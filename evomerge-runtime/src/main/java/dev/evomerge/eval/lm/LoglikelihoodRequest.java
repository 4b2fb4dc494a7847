package dev.evomerge.eval.lm;

import dev.evomerge.diag.Requires;

/**
 * lm-evaluation-harness's {@code loglikelihood} request: how likely is {@code continuation} right after
 * {@code context}? Word-boundary spaces belong to the continuation ({@code "Answer:"}, {@code " yes"}).
 *
 * @param context the text before (may be empty)
 * @param continuation the text scored (not empty)
 */
public record LoglikelihoodRequest(String context, String continuation) {

    public LoglikelihoodRequest {
        Requires.nonNull("context, continuation", context, continuation);
    }
}
