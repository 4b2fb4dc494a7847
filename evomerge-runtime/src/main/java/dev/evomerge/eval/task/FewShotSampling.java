package dev.evomerge.eval.task;

/**
 * How few-shot examples are picked ({@code fewshot_config.sampler}): lm-evaluation-harness's {@code default}
 * (a seeded random draw, see {@link FewShotSampler}) or {@code first_n} (the first examples of the pool, in order).
 */
public enum FewShotSampling {
    DEFAULT,
    FIRST_N
}
