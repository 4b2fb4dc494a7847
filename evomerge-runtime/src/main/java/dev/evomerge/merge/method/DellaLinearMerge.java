package dev.evomerge.merge.method;

/**
 * DELLA's MAGPRUNE ({@link DellaSparsifier}) without sign consensus: a weighted sum of the pruned, rescaled task
 * vectors. Deep et al., 2024, https://arxiv.org/abs/2406.11617.
 *
 * <p>Matches mergekit's {@code GeneralizedTaskArithmeticMerge} registered as {@code della_linear} in
 * {@code merge_methods/registry.py} ({@code generalized_task_arithmetic.py} and {@code sparsify.py}); the computation
 * is described on {@link TaskVectorMethod}. Defaults: normalize false, rescale true, lambda 1, density 1.
 *
 * <p>Stateless and thread-safe.
 */
public final class DellaLinearMerge extends TaskVectorMethod {

    public DellaLinearMerge() {
        super(Variant.of("della_linear", "Linear DELLA", "https://arxiv.org/abs/2406.11617")
                .prunedBy(new DellaSparsifier()).rescaledByDefault());
    }
}
