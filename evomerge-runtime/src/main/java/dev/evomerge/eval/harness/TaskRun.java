package dev.evomerge.eval.harness;

import dev.evomerge.diag.Requires;
import dev.evomerge.eval.task.Task;
import java.util.List;
import java.util.stream.IntStream;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * One task to evaluate, on one split, on all its documents, the first {@code limit} of them, or a chosen subset (the
 * evolution loop scores each generation on its own subset of the search split).
 *
 * {@snippet :
 * TaskRun.of(task)                                  // lm-evaluation-harness's split (test, else validation)
 *        .onSplit("validation")                     // or a split chosen by role
 *        .withDocs(List.of(4, 17, 23));             // or .withLimit(100)
 * }
 *
 * <p>Immutable and thread-safe.
 *
 * @param task the task
 * @param split the split evaluated
 * @param docs positions of the documents to evaluate, in order; empty for "all" (or the limit)
 * @param limit at most this many documents from the start, a fraction below 1 meaning a share (overrides the task
 *     file's {@code limit}); ignored when {@code docs} is given
 */
public record TaskRun(Task task, String split, Optional<List<Integer>> docs, OptionalDouble limit) {

    public TaskRun {
        Requires.nonNull("task, split, limit", task, split, limit);
        docs = docs.map(List::copyOf);
        if (docs.isPresent() && docs.get().stream().anyMatch(i -> i < 0)) {
            throw new IllegalArgumentException("document positions must be >= 0, got " + docs.get());
        }
        if (limit.isPresent() && !(limit.getAsDouble() > 0)) {
            throw new IllegalArgumentException("limit must be > 0, got " + limit.getAsDouble());
        }
    }

    /**
     * The task on the split lm-evaluation-harness evaluates, with the task file's {@code limit}.
     *
     * @throws IllegalArgumentException when the task names no test or validation split (the reader refuses such
     *     files)
     */
    public static TaskRun of(Task task) {
        String split = task.config().evaluationSplit().orElseThrow(
                () -> new IllegalArgumentException(task + " names no test or validation split"));
        return new TaskRun(task, split, Optional.empty(), task.config().limit());
    }

    /**
     * The positions of the documents the run scores, in order: the chosen ones, else the first {@code limit} of the
     * split, else all of it (chosen positions are not checked against the split's size).
     */
    public List<Integer> positions() {
        if (docs.isPresent()) {
            return docs.get();
        }
        int all = task.docs(split).size();
        int n = all;
        if (limit.isPresent()) {
            double l = limit.getAsDouble();
            n = Math.min(all, l < 1 ? (int) Math.ceil(l * all) : (int) l);
        }
        return IntStream.range(0, n).boxed().toList();
    }

    public TaskRun onSplit(String name) {
        return new TaskRun(task, name, docs, limit);
    }

    public TaskRun withDocs(List<Integer> positions) {
        return new TaskRun(task, split, Optional.of(positions), limit);
    }

    public TaskRun withLimit(double documents) {
        return new TaskRun(task, split, docs, OptionalDouble.of(documents));
    }
}
