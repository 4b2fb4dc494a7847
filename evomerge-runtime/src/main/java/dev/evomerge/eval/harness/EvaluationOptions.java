package dev.evomerge.eval.harness;

import dev.evomerge.diag.Requires;
import dev.evomerge.eval.task.FewShotSampler;
import dev.evomerge.event.EventListener;

/**
 * Settings of an evaluation run that are not part of a task file.
 *
 * @param fewshotSeed the seed of each task's few-shot stream (lm-evaluation-harness's {@code fewshot_random_seed},
 *     1234 by default)
 * @param samples where per-sample records go ({@link SampleLog#NONE} to keep none)
 * @param events warnings and progress
 */
public record EvaluationOptions(long fewshotSeed, SampleLog samples, EventListener events) {

    public EvaluationOptions {
        Requires.nonNull("samples, events", samples, events);
        if (fewshotSeed < 0) {
            throw new IllegalArgumentException("fewshotSeed must be >= 0, got " + fewshotSeed);
        }
    }

    /** lm-evaluation-harness's seed, no sample log. */
    public static EvaluationOptions defaults(EventListener events) {
        return new EvaluationOptions(FewShotSampler.DEFAULT_SEED, SampleLog.NONE, events);
    }

    public EvaluationOptions withSamples(SampleLog log) {
        return new EvaluationOptions(fewshotSeed, log, events);
    }

    public EvaluationOptions withFewshotSeed(long seed) {
        return new EvaluationOptions(seed, samples, events);
    }
}
