package dev.evomerge.infer;

import java.util.Objects;
import java.util.Set;

/**
 * How to generate: greedy decoding (the arg-max token at every step, ties to the lowest id, as {@code torch.argmax})
 * for at most {@code maxNewTokens} tokens, stopping a sequence early at any of {@code stopTokens} (kept in its output,
 * as transformers keeps the end-of-sequence token) or when {@code stop} says so.
 *
 * <p>Immutable and thread-safe when {@code stop} is.
 *
 * @param maxNewTokens the most tokens to generate per sequence, >= 1 (lm-eval's {@code max_gen_toks})
 * @param stopTokens token ids that end a sequence (typically the tokenizer's end-of-sequence ids)
 * @param stop a further stop rule (typically {@link StopSequences})
 */
public record GenerationOptions(int maxNewTokens, Set<Integer> stopTokens, StopCriterion stop) {

    public GenerationOptions {
        if (maxNewTokens < 1) {
            throw new IllegalArgumentException("maxNewTokens must be >= 1, got " + maxNewTokens);
        }
        stopTokens = Set.copyOf(stopTokens);
        Objects.requireNonNull(stop, "stop");
    }

    /** Greedy decoding of exactly {@code maxNewTokens} tokens, with no stop rule. */
    public static GenerationOptions greedy(int maxNewTokens) {
        return new GenerationOptions(maxNewTokens, Set.of(), StopCriterion.NEVER);
    }

    public GenerationOptions withStopTokens(Set<Integer> tokens) {
        return new GenerationOptions(maxNewTokens, tokens, stop);
    }

    public GenerationOptions withStop(StopCriterion criterion) {
        return new GenerationOptions(maxNewTokens, stopTokens, criterion);
    }
}
