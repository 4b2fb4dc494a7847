package dev.evomerge.merge.method;

import dev.evomerge.merge.CounterRandom;
import dev.evomerge.tensor.Shape;
import java.util.List;

/**
 * Prunes a task vector before task vectors are combined (mergekit's {@code sparsify.py}). Each sparsifier declares
 * whether it is stochastic and which parameters it reads besides {@code density}. Implementations are stateless and
 * thread-safe; the per-tensor work is a {@link Pruning}.
 */
abstract class Sparsifier {

    /** Elements per block of the pruning passes: 16 KB of floats, so a block stays in the first-level cache. */
    static final int BLOCK = CounterRandom.CHUNK;

    private final boolean stochastic;
    private final List<ParameterDefinition> extraParameters;

    Sparsifier(boolean stochastic, List<ParameterDefinition> extraParameters) {
        this.stochastic = stochastic;
        this.extraParameters = List.copyOf(extraParameters);
    }

    /**
     * Whether the pruning draws from the run's random numbers (DARE's coin flips, DELLA's), which makes the merge
     * method stochastic.
     */
    final boolean stochastic() {
        return stochastic;
    }

    /** The per-model parameters the sparsifier reads besides {@code density}: {@code gamma} or {@code epsilon}. */
    final List<ParameterDefinition> extraParameters() {
        return extraParameters;
    }

    /**
     * Checks density (and the extra parameter, NaN when there is none) for a tensor of {@code numel} elements.
     *
     * @param where {@code model:tensor}, for the message
     * @throws dev.evomerge.diag.RunException when the values cannot work
     */
    abstract void check(double density, double extra, long numel, String where);

    /**
     * How to prune one task vector of this shape, or null when it stays untouched (density at or above 1), in
     * which case no rescale follows either.
     *
     * @param draws this model's random draws for this tensor (unused by deterministic sparsifiers)
     */
    abstract Pruning plan(Shape shape, int numel, double density, double extra, CounterRandom.Draws draws);

    /** Prunes a whole task vector in place; false when it stayed untouched. (The engine fuses these passes.) */
    final boolean sparsify(float[] delta, Shape shape, double density, double extra, CounterRandom.Draws draws) {
        Pruning pruning = plan(shape, delta.length, density, extra, draws);
        if (pruning == null) {
            return false;
        }
        for (int from = 0; from < delta.length; from += BLOCK) {
            pruning.observe(delta, from, Math.min(BLOCK, delta.length - from));
        }
        pruning.prepare(delta);
        for (int from = 0; from < delta.length; from += BLOCK) {
            pruning.prune(delta, from, Math.min(BLOCK, delta.length - from));
        }
        return true;
    }

    /**
     * mergekit's {@code rescaled_masked_tensor} with the L1 norm: the factor that brings the pruned task vector back
     * to its former L1 norm, {@code before / after} in float32, or 1 when either norm is below 1e-7.
     */
    static float l1Factor(double l1Before, double l1After) {
        float before = (float) l1Before;
        float after = (float) l1After;
        return before < 1e-7f || after < 1e-7f ? 1f : before / after;
    }

    /** Scales a pruned task vector back to its former L1 norm (see {@link #l1Factor}). */
    static void rescaleL1(float[] pruned, double l1Before) {
        float factor = l1Factor(l1Before, Reductions.sumAbs(pruned, 0, pruned.length));
        if (factor != 1f) {
            for (int i = 0; i < pruned.length; i++) {
                pruned[i] *= factor;
            }
        }
    }
}
