package dev.evomerge.merge.method;

import dev.evomerge.merge.CounterRandom;
import dev.evomerge.tensor.Shape;
import java.util.List;

/**
 * Prunes a task vector in place before task vectors are combined (mergekit's {@code sparsify.py}). Implementations
 * are stateless and thread-safe.
 */
interface Sparsifier {

    /** The per-model parameters the sparsifier reads besides {@code density}: {@code gamma} or {@code epsilon}. */
    List<ParameterDefinition> extraParameters();

    /**
     * Checks density (and the extra parameter, NaN when there is none) for a tensor of {@code numel} elements.
     *
     * @param where {@code model:tensor}, for the message
     * @throws dev.evomerge.diag.RunException when the values cannot work
     */
    void check(double density, double extra, long numel, String where);

    /**
     * Zeroes elements of {@code delta} in place.
     *
     * @param shape the delta's shape (DELLA ranks per row)
     * @param draws this model's random draws for this tensor (unused by deterministic sparsifiers)
     * @return false when it left {@code delta} untouched (density at or above 1), so no rescale follows
     */
    boolean sparsify(float[] delta, Shape shape, double density, double extra, CounterRandom.Draws draws);

    /**
     * mergekit's {@code rescaled_masked_tensor} with the L1 norm: scales the pruned delta so that its L1 norm
     * equals the L1 norm it had before pruning; nothing happens when either norm is below 1e-7.
     *
     * @param l1Before Σ|δ| before pruning
     */
    static void rescaleL1(float[] pruned, double l1Before) {
        float before = (float) l1Before;
        float after = (float) Reductions.sumAbs(pruned);
        if (before < 1e-7f || after < 1e-7f) {
            return;
        }
        float factor = before / after;
        for (int i = 0; i < pruned.length; i++) {
            pruned[i] *= factor;
        }
    }
}
