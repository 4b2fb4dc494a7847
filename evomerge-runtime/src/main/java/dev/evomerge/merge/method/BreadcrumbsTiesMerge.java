package dev.evomerge.merge.method;

/**
 * Model Breadcrumbs pruning ({@link OutlierSparsifier}) followed by TIES sign consensus. Davari and Belilovsky, ECCV
 * 2024, https://arxiv.org/abs/2312.06795, with Yadav et al., https://arxiv.org/abs/2306.01708.
 *
 * <p>Matches mergekit's {@code GeneralizedTaskArithmeticMerge} registered as {@code breadcrumbs_ties} in
 * {@code merge_methods/registry.py} ({@code generalized_task_arithmetic.py} and {@code sparsify.py}); the computation
 * is described on {@link TaskVectorMethod}. Defaults: normalize false, rescale false, lambda 1, density 1.
 *
 * <p>Stateless and thread-safe.
 */
public final class BreadcrumbsTiesMerge extends TaskVectorMethod {

    public BreadcrumbsTiesMerge() {
        super(Variant.of("breadcrumbs_ties", "Model Breadcrumbs with TIES", "https://arxiv.org/abs/2312.06795")
                .prunedBy(new OutlierSparsifier()).withSignConsensus());
    }
}
