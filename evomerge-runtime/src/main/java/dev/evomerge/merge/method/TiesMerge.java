package dev.evomerge.merge.method;

/**
 * TIES-merging: trims each task vector to its largest-magnitude {@code density} fraction, elects a sign per element,
 * and averages the agreeing values. Yadav et al., "TIES-Merging: Resolving Interference When Merging Models", NeurIPS
 * 2023, https://arxiv.org/abs/2306.01708. A density that keeps no element of a tensor
 * ({@code int(density * numel) == 0}) is an error, as in mergekit; the selection is linear-time
 * ({@link MagnitudeSparsifier}).
 *
 * <p>Matches mergekit's {@code GeneralizedTaskArithmeticMerge} registered as {@code ties} in
 * {@code merge_methods/registry.py} ({@code generalized_task_arithmetic.py} and {@code sparsify.py}); the computation
 * is described on {@link TaskVectorMethod}. Defaults: normalize true, rescale false, lambda 1, density 1.
 *
 * <p>Stateless and thread-safe.
 */
public final class TiesMerge extends TaskVectorMethod {

    public TiesMerge() {
        super(Variant.of("ties", "TIES", "https://arxiv.org/abs/2306.01708")
                .prunedBy(new MagnitudeSparsifier()).withSignConsensus().normalizedByDefault());
    }
}
