package dev.evomerge.merge.method;

/**
 * Model Breadcrumbs: drops the largest-magnitude outliers ({@code gamma}, default 0.01) and the smallest values of
 * each task vector, keeping {@code density}, then sums the weighted task vectors. Davari and Belilovsky, "Model
 * Breadcrumbs: Scaling Multi-Task Model Merging with Sparse Masks", ECCV 2024, https://arxiv.org/abs/2312.06795.
 * Keeps mergekit's quirk that zeroes the whole task vector when {@code int(gamma * numel) == 0}
 * ({@link OutlierSparsifier}).
 *
 * <p>Matches mergekit's {@code GeneralizedTaskArithmeticMerge} registered as {@code breadcrumbs} in
 * {@code merge_methods/registry.py} ({@code generalized_task_arithmetic.py} and {@code sparsify.py}); the computation
 * is described on {@link TaskVectorMethod}. Defaults: normalize false, rescale false, lambda 1, density 1.
 *
 * <p>Stateless and thread-safe.
 */
public final class BreadcrumbsMerge extends TaskVectorMethod {

    public BreadcrumbsMerge() {
        super(Variant.of("breadcrumbs", "Model Breadcrumbs", "https://arxiv.org/abs/2312.06795")
                .prunedBy(new OutlierSparsifier()));
    }
}
