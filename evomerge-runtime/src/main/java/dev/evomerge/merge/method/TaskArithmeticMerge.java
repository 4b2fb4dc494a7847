package dev.evomerge.merge.method;

/**
 * Task arithmetic: adds weighted task vectors (fine-tuned minus base) to the base model. Ilharco et al., "Editing
 * Models with Task Arithmetic", ICLR 2023, https://arxiv.org/abs/2212.04089. The per-model {@code density} is
 * accepted and ignored, as in mergekit.
 *
 * <p>Matches mergekit's {@code GeneralizedTaskArithmeticMerge} registered as {@code task_arithmetic} in
 * {@code merge_methods/registry.py} ({@code generalized_task_arithmetic.py}); the computation is described on
 * {@link TaskVectorMethod}. Defaults: normalize false, rescale false, lambda 1, density 1.
 *
 * <p>Stateless and thread-safe.
 */
public final class TaskArithmeticMerge extends TaskVectorMethod {

    public TaskArithmeticMerge() {
        super(Variant.of("task_arithmetic", "Task Arithmetic", "https://arxiv.org/abs/2212.04089"));
    }
}
