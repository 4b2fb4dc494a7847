package dev.evomerge.eval.lm;

import java.util.List;
import java.util.Objects;

/**
 * lm-evaluation-harness's {@code generate_until} request: greedy decoding after {@code context} for at most
 * {@code maxGenToks} tokens, stopped by (and cut before) the first of the {@code until} strings; the model's
 * end-of-sequence token stops it too.
 *
 * @param context the prompt
 * @param until stop strings, none empty
 * @param maxGenToks the most tokens to generate, >= 1
 */
public record GenerationRequest(String context, List<String> until, int maxGenToks) {

    public GenerationRequest {
        Objects.requireNonNull(context, "context");
        until = List.copyOf(until);
        if (until.stream().anyMatch(String::isEmpty)) {
            throw new IllegalArgumentException("stop strings must not be empty");
        }
        if (maxGenToks < 1) {
            throw new IllegalArgumentException("maxGenToks must be >= 1, got " + maxGenToks);
        }
    }
}
