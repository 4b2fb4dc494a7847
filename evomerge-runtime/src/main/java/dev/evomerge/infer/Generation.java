package dev.evomerge.infer;

import java.util.Arrays;
import java.util.Objects;

/**
 * What greedy generation produced for one prompt: the new tokens (not the prompt), and why it ended.
 *
 * <p>Immutable (the array is copied in and out) and thread-safe.
 *
 * @param tokens the generated token ids, including the stop token when {@code reason} is {@link Reason#STOP_TOKEN}
 * @param reason why generation ended
 */
public record Generation(int[] tokens, Reason reason) {

    /** Why a sequence stopped. */
    public enum Reason {
        /** It generated one of the stop tokens (the last token). */
        STOP_TOKEN,
        /** The {@link StopCriterion} said so (for {@link StopSequences}: the text contains a stop sequence). */
        STOP_CRITERION,
        /** It reached the token budget. */
        MAX_TOKENS
    }

    public Generation {
        tokens = tokens.clone();
        Objects.requireNonNull(reason, "reason");
    }

    @Override
    public int[] tokens() {
        return tokens.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Generation g && Arrays.equals(tokens, g.tokens) && reason == g.reason;
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(tokens) + reason.hashCode();
    }

    @Override
    public String toString() {
        return "Generation" + Arrays.toString(tokens) + " (" + reason + ")";
    }
}
