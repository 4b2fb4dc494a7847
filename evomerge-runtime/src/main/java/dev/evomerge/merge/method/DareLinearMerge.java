package dev.evomerge.merge.method;

/**
 * DARE without sign consensus: random drops with L1 rescale, then a weighted sum of task vectors. Yu et al.,
 * "Language Models are Super Mario", ICML 2024, https://arxiv.org/abs/2311.03099. The drops come from the run's
 * {@link dev.evomerge.merge.CounterRandom}.
 *
 * <p>Matches mergekit's {@code GeneralizedTaskArithmeticMerge} registered as {@code dare_linear} in
 * {@code merge_methods/registry.py} ({@code generalized_task_arithmetic.py} and {@code sparsify.py}); the computation
 * is described on {@link TaskVectorMethod}. Defaults: normalize false, rescale true, lambda 1, density 1.
 *
 * <p>Stateless and thread-safe.
 */
public final class DareLinearMerge extends TaskVectorMethod {

    public DareLinearMerge() {
        super(Variant.of("dare_linear", "Linear DARE", "https://arxiv.org/abs/2311.03099")
                .prunedBy(new BernoulliSparsifier()).rescaledByDefault());
    }
}
