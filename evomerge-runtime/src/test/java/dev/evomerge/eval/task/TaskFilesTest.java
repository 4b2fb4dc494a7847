package dev.evomerge.eval.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.evomerge.event.EventListener;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A task file of the lm-eval fixtures, loaded and turned into prompts. */
class TaskFilesTest {

    private static final Path TASKS = Path.of("src/test/resources/eval/lmeval/tasks");

    @Test
    void load_fewshotTask_docsTextTargetAndDescription() {
        Task task = Task.load(TASKS.resolve("arith_fewshot.yaml"), EventListener.NONE);
        assertEquals("arith_fewshot", task.name());
        assertEquals(3, task.config().numFewshot());
        List<Doc> test = task.docs("test");
        assertTrue(test.size() >= 3, "test split size " + test.size());
        Doc first = test.getFirst();
        assertEquals("Question: What is 2 plus 3?\nAnswer:", task.text(first));
        assertEquals("5", task.target(first));
        assertEquals("Solve the problem.\n\n", task.description(first));
    }

    @Test
    void prompt_threeShotsFromTrain_descriptionShotsThenQuestion() {
        Task task = Task.load(TASKS.resolve("arith_fewshot.yaml"), EventListener.NONE);
        Doc doc = task.docs("test").getFirst();
        List<Doc> shots = task.sampler("test", FewShotSampler.DEFAULT_SEED).shotsFor(doc);
        assertEquals(3, shots.size());
        assertTrue(shots.stream().allMatch(s -> s.split().equals("train")), shots.toString());
        String text = PromptBuilder.build(task, doc, shots).text();
        assertTrue(text.startsWith("Solve the problem.\n\nQuestion: "), text);
        assertTrue(text.endsWith("Question: What is 2 plus 3?\nAnswer:"), text);
        // each shot is its question, a space, its target, and the two-newline fewshot delimiter
        for (Doc shot : shots) {
            assertTrue(text.contains(task.text(shot) + " " + task.target(shot) + "\n\n"), text);
        }
        // the same seed draws the same shots again
        assertEquals(shots, task.sampler("test", FewShotSampler.DEFAULT_SEED).shotsFor(doc));
    }
}
