package dev.evomerge.eval.task;

import java.util.ArrayList;
import java.util.List;

/**
 * Builds the prompt of a document as lm-evaluation-harness's {@code ConfigurableTask.fewshot_context} and
 * {@code build_qa_turn} do: the rendered {@code description} (if any) as a system turn, then for each few-shot
 * example its {@code doc_to_text} followed by {@code target_delimiter} and its answer followed by
 * {@code fewshot_delimiter}, then the document's own {@code doc_to_text} with nothing after it. An example's answer
 * is the choice its target indexes, the first of several targets, or the target text.
 *
 * {@snippet :
 * // description "Answer.\n\n", two shots, defaults " " and "\n\n":
 * // "Answer.\n\n" + "Q: 1+1? A:" + " " + "2" + "\n\n" + "Q: 2+2? A:" + " " + "4" + "\n\n" + "Q: 3+3? A:"
 * }
 *
 * <p>Stateless and thread-safe.
 */
public final class PromptBuilder {

    private PromptBuilder() {
    }

    /** The prompt for {@code doc} with the given examples. */
    public static Prompt build(Task task, Doc doc, List<Doc> shots) {
        TaskConfig c = task.config();
        List<Prompt.Turn> turns = new ArrayList<>();
        String description = task.description(doc);
        if (!description.isEmpty()) {
            turns.add(new Prompt.Turn("system", description, ""));
        }
        for (Doc shot : shots) {
            String question = task.text(shot);
            Object target = task.target(shot);
            boolean hasAnswer = target != null && !"".equals(target);
            turns.add(new Prompt.Turn("user", question, hasAnswer ? c.targetDelimiter() : ""));
            if (hasAnswer) {
                String answer = task.targetText(shot, target, task.choices(shot));
                turns.add(new Prompt.Turn("assistant", answer, c.fewshotDelimiter()));
            }
        }
        turns.add(new Prompt.Turn("user", task.text(doc), ""));
        return new Prompt(turns);
    }
}
