package dev.evomerge.merge.method;

/**
 * DELLA-merging: MAGPRUNE keeps each element with a probability that grows with its magnitude rank in its row
 * ({@code density ± epsilon}, default epsilon 0.15), rescales to the former L1 norm, then merges with TIES sign
 * consensus. Deep et al., "DELLA-Merging: Reducing Interference in Model Merging through Magnitude-Based Sampling",
 * 2024, https://arxiv.org/abs/2406.11617. The drops come from the run's {@link dev.evomerge.merge.CounterRandom};
 * {@code density ± epsilon} outside (0, 1) is an error ({@link DellaSparsifier}).
 *
 * <p>Matches mergekit's {@code GeneralizedTaskArithmeticMerge} registered as {@code della} in
 * {@code merge_methods/registry.py} ({@code generalized_task_arithmetic.py} and {@code sparsify.py}); the computation
 * is described on {@link TaskVectorMethod}. Defaults: normalize true, rescale true, lambda 1, density 1.
 *
 * <p>Stateless and thread-safe.
 */
public final class DellaMerge extends TaskVectorMethod {

    public DellaMerge() {
        super(Variant.of("della", "DELLA", "https://arxiv.org/abs/2406.11617")
                .prunedBy(new DellaSparsifier()).withSignConsensus().normalizedByDefault().rescaledByDefault());
    }
}
