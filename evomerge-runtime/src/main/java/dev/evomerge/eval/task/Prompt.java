package dev.evomerge.eval.task;

import dev.evomerge.diag.Requires;
import dev.evomerge.eval.lm.ChatMessage;
import java.util.ArrayList;
import java.util.List;

/**
 * A prompt as lm-evaluation-harness builds it: a list of turns (the description as a system turn, each few-shot
 * question and answer as a user and an assistant turn, the question asked as a last user turn), each with the
 * delimiter that follows it in plain text ({@code target_delimiter} after a question, {@code fewshot_delimiter}
 * after an answer). {@link #text()} is the plain prompt; {@link #messages(boolean)} the conversation handed to a chat
 * template.
 *
 * <p>Immutable and thread-safe.
 *
 * @param turns the turns in order
 */
public record Prompt(List<Turn> turns) {

    /**
     * One turn.
     *
     * @param role {@code system}, {@code user} or {@code assistant}
     * @param content the text
     * @param delimiter what follows it in plain text
     */
    public record Turn(String role, String content, String delimiter) {
        public Turn {
            Requires.nonNull("role, content, delimiter", role, content, delimiter);
        }

        String text() {
            return content + delimiter;
        }
    }

    public Prompt {
        turns = Requires.nonEmptyCopy(turns, "a prompt needs at least one turn");
    }

    /** The plain-text prompt: every turn followed by its delimiter. */
    public String text() {
        StringBuilder b = new StringBuilder();
        turns.forEach(t -> b.append(t.text()));
        return b.toString();
    }

    /**
     * The conversation for a chat template. As separate turns ({@code multiturn}, lm-evaluation-harness's
     * {@code fewshot_as_multiturn}) delimiters vanish; otherwise everything but the system turn is joined, with its
     * delimiters, into one user message (lm-evaluation-harness's {@code multiturn_to_singleturn}).
     */
    public List<ChatMessage> messages(boolean multiturn) {
        if (multiturn) {
            return turns.stream().map(t -> new ChatMessage(t.role(), t.content())).toList();
        }
        List<ChatMessage> out = new ArrayList<>();
        List<Turn> rest = turns;
        if (turns.getFirst().role().equals("system")) {
            out.add(new ChatMessage("system", turns.getFirst().content()));
            rest = turns.subList(1, turns.size());
        }
        if (!rest.isEmpty()) {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < rest.size(); i++) {
                b.append(i == rest.size() - 1 ? rest.get(i).content() : rest.get(i).text());
            }
            out.add(new ChatMessage("user", b.toString()));
        }
        return out;
    }
}
