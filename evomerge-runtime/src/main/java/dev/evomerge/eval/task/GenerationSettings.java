package dev.evomerge.eval.task;

import java.util.List;

/**
 * A {@code generate_until} task's {@code generation_kwargs}: greedy decoding (the only kind evomerge does) until
 * one of {@code until} or {@code maxGenToks} tokens. Without {@code until}, lm-evaluation-harness stops at the
 * task's {@code fewshot_delimiter}; without {@code max_gen_toks}, after 256 tokens.
 *
 * @param until stop strings
 * @param maxGenToks the most tokens generated
 */
public record GenerationSettings(List<String> until, int maxGenToks) {

    /** lm-evaluation-harness's default token budget. */
    public static final int DEFAULT_MAX_GEN_TOKS = 256;

    public GenerationSettings {
        until = List.copyOf(until);
        if (maxGenToks < 1) {
            throw new IllegalArgumentException("maxGenToks must be >= 1, got " + maxGenToks);
        }
    }
}
