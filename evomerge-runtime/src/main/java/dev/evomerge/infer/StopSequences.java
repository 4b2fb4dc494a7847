package dev.evomerge.infer;

import java.util.List;

/**
 * Stops a generation once its decoded text contains any of the {@code until} strings, and cuts text at the first
 * of them, as lm-evaluation-harness's {@code generate_until} does: generation stops when the new tokens' text
 * contains a stop string, and the answer is the text before it ({@code s.split(term)[0]} for each term in turn).
 *
 * {@snippet :
 * StopSequences until = new StopSequences(tokenizer, List.of("\n\n", "Question:"));
 * Generation g = lm.generate(List.of(prompt), GenerationOptions.greedy(256).withStop(until), 1).getFirst();
 * String answer = until.cut(tokenizer.decode(g.tokens()));
 * }
 *
 * <p>Thread-safe.
 *
 * @param tokenizer decodes the generated tokens (special tokens skipped)
 * @param until the stop strings, none empty
 */
public record StopSequences(Tokenizer tokenizer, List<String> until) implements StopCriterion {

    public StopSequences {
        until = List.copyOf(until);
        for (String s : until) {
            if (s.isEmpty()) {
                throw new IllegalArgumentException("stop sequences must not be empty");
            }
        }
    }

    @Override
    public boolean shouldStop(int[] generated) {
        if (until.isEmpty()) {
            return false;
        }
        String text = tokenizer.decode(generated);
        for (String s : until) {
            if (text.contains(s)) {
                return true;
            }
        }
        return false;
    }

    /** {@code text} cut before each stop string in turn. */
    public String cut(String text) {
        String out = text;
        for (String s : until) {
            int at = out.indexOf(s);
            if (at >= 0) {
                out = out.substring(0, at);
            }
        }
        return out;
    }
}
