package dev.evomerge.infer;

import java.util.Arrays;

/**
 * A log-likelihood question at the token level, as lm-evaluation-harness's {@code loglikelihood} request is once
 * tokenized: how likely are the {@code continuation} tokens right after the {@code context} tokens? When the context
 * is empty the harness puts the end-of-text token there; do the same before building the request.
 *
 * <p>Immutable (arrays copied in and out) and thread-safe.
 *
 * @param context the tokens before, at least one
 * @param continuation the tokens scored, at least one
 */
public record ContinuationRequest(int[] context, int[] continuation) {

    public ContinuationRequest {
        if (context.length == 0) {
            throw new IllegalArgumentException("the context needs at least one token (the harness uses the"
                    + " end-of-text token for an empty context)");
        }
        if (continuation.length == 0) {
            throw new IllegalArgumentException("the continuation needs at least one token");
        }
        context = context.clone();
        continuation = continuation.clone();
    }

    @Override
    public int[] context() {
        return context.clone();
    }

    @Override
    public int[] continuation() {
        return continuation.clone();
    }

    /** Context then continuation. */
    int[] whole() {
        int[] all = Arrays.copyOf(context, context.length + continuation.length);
        System.arraycopy(continuation, 0, all, context.length, continuation.length);
        return all;
    }

    int continuationLength() {
        return continuation.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ContinuationRequest r && Arrays.equals(context, r.context)
                && Arrays.equals(continuation, r.continuation);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(context) + Arrays.hashCode(continuation);
    }

    @Override
    public String toString() {
        return "ContinuationRequest" + Arrays.toString(context) + " → " + Arrays.toString(continuation);
    }
}
