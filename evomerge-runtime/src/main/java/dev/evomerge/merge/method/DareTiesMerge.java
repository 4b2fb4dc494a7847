package dev.evomerge.merge.method;

/**
 * DARE with TIES sign consensus: drops each task-vector element with probability {@code 1 - density}, rescales to the
 * former L1 norm, then merges as TIES does. Yu et al., "Language Models are Super Mario: Absorbing Abilities from
 * Homologous Models as a Free Lunch", ICML 2024, https://arxiv.org/abs/2311.03099. The drops come from the run's
 * {@link dev.evomerge.merge.CounterRandom}; the rescale is mergekit's L1 norm matching (since v0.1.0), not the
 * paper's {@code 1/density}.
 *
 * <p>Matches mergekit's {@code GeneralizedTaskArithmeticMerge} registered as {@code dare_ties} in
 * {@code merge_methods/registry.py} ({@code generalized_task_arithmetic.py} and {@code sparsify.py}); the computation
 * is described on {@link TaskVectorMethod}. Defaults: normalize false, rescale true, lambda 1, density 1.
 *
 * <p>Stateless and thread-safe.
 */
public final class DareTiesMerge extends TaskVectorMethod {

    public DareTiesMerge() {
        super(Variant.of("dare_ties", "DARE TIES", "https://arxiv.org/abs/2311.03099")
                .prunedBy(new BernoulliSparsifier()).withSignConsensus().rescaledByDefault());
    }
}
