package dev.evomerge.eval;

import dev.evomerge.diag.EvomergeException;
import dev.evomerge.eval.harness.EvaluationOptions;
import dev.evomerge.eval.harness.EvaluationResults;
import dev.evomerge.eval.harness.EvaluationRunner;
import dev.evomerge.eval.harness.TaskResult;
import dev.evomerge.eval.harness.TaskRun;
import dev.evomerge.eval.lm.InProcessLanguageModel;
import dev.evomerge.eval.lm.LanguageModel;
import dev.evomerge.infer.InferenceEngine;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Evaluates candidates with evomerge's own forward pass: a model directory is loaded on the engine for the
 * evaluation and freed after it; a model in memory is used as it is. Runs the configured {@link TaskRun}s through
 * {@link EvaluationRunner}. A candidate that cannot be loaded, fails while running, or gives a metric that is not a
 * number (NaN log-likelihoods) is an {@link EvaluationOutcome.Failed}; a task file mistake found while rendering
 * prompts is too (it would fail every candidate alike, and its message says where).
 *
 * {@snippet :
 * Evaluator e = new InProcessEvaluator(engine, List.of(TaskRun.of(task).withDocs(subset)), 8, options);
 * EvaluationOutcome o = e.evaluate(Candidate.of(modelDir));
 * }
 *
 * <p>Thread-safe: evaluations may run at once on the shared engine (mind its intra-op threads per evaluation).
 */
public final class InProcessEvaluator implements Evaluator {

    private final InferenceEngine engine;
    private final List<TaskRun> runs;
    private final int batchSize;
    private final EvaluationOptions options;

    /**
     * @param engine the engine directories are loaded on (owned by the caller)
     * @param runs the tasks, splits and documents to evaluate
     * @param batchSize requests per forward pass
     * @param options few-shot seed, sample log and events
     */
    public InProcessEvaluator(InferenceEngine engine, List<TaskRun> runs, int batchSize, EvaluationOptions options) {
        this.engine = Objects.requireNonNull(engine, "engine");
        this.runs = List.copyOf(runs);
        if (this.runs.isEmpty()) {
            throw new IllegalArgumentException("nothing to evaluate: no task runs");
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        }
        this.batchSize = batchSize;
        this.options = Objects.requireNonNull(options, "options");
    }

    /** The same evaluator on other runs (another generation's document subsets). */
    public InProcessEvaluator withRuns(List<TaskRun> other) {
        return new InProcessEvaluator(engine, other, batchSize, options);
    }

    @Override
    public EvaluationOutcome evaluate(Candidate candidate) {
        long start = System.nanoTime();
        try {
            EvaluationResults results = switch (candidate) {
                case Candidate.Directory d -> {
                    try (InProcessLanguageModel model = InProcessLanguageModel.open(engine, d.dir(), batchSize,
                            options.events())) {
                        yield run(model);
                    }
                }
                case Candidate.InMemory m -> run(m.model());
                case Candidate.Recipe r -> throw new IllegalArgumentException("a recipe is merged where it is"
                        + " evaluated: merge it in memory first");
            };
            for (TaskResult t : results.tasks()) {
                for (Map.Entry<String, Double> e : t.metrics().entrySet()) {
                    if (Double.isNaN(e.getValue())) {
                        return failed(candidate, "metric " + e.getKey() + " of task " + t.task() + " is NaN"
                                + " (the model gives non-finite log-likelihoods)", start);
                    }
                }
            }
            return new EvaluationOutcome.Scored(candidate.name(), results.scores(), Optional.of(results),
                    since(start));
        } catch (EvomergeException e) {
            return failed(candidate, e.userMessage(), start);
        } catch (OutOfMemoryError e) {
            return failed(candidate, "out of memory: " + e.getMessage(), start);
        } catch (RuntimeException e) {
            // the engine's own failures (native out-of-memory, a shape it refuses) end this candidate, not the search
            return failed(candidate, "the evaluation failed: " + e, start);
        }
    }

    private EvaluationResults run(LanguageModel model) {
        return EvaluationRunner.run(model, runs, options);
    }

    private static EvaluationOutcome.Failed failed(Candidate c, String reason, long start) {
        return new EvaluationOutcome.Failed(c.name(), reason, "", since(start));
    }

    private static Duration since(long start) {
        return Duration.ofNanos(System.nanoTime() - start);
    }
}
