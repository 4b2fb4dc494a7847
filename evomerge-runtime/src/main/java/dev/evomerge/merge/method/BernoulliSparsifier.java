package dev.evomerge.merge.method;

import dev.evomerge.diag.RunException;
import dev.evomerge.merge.CounterRandom;
import dev.evomerge.tensor.Shape;
import java.util.List;

/**
 * DARE's pruning: keeps each element independently with probability {@code density} (mergekit's
 * {@code sparsify.bernoulli}). Element {@code e} is kept when {@code draws.uniformFloat(e) < (float) density}, so
 * the mask is a pure function of (seed, tensor, model, element).
 *
 * <p>Stateless and thread-safe.
 */
final class BernoulliSparsifier implements Sparsifier {

    @Override
    public List<ParameterDefinition> extraParameters() {
        return List.of();
    }

    @Override
    public void check(double density, double extra, long numel, String where) {
        if (density < 0) {
            throw new RunException("density " + density + " for " + where + " is negative",
                    "use a density between 0 and 1 (the probability of keeping each element)");
        }
    }

    @Override
    public Pruning plan(Shape shape, int numel, double density, double extra, CounterRandom.Draws draws) {
        if (density >= 1) {
            return null;
        }
        float p = (float) density;
        float[] u = new float[Math.min(BLOCK, numel)];
        float[] block = new float[u.length];
        return new Pruning() {
            @Override
            public boolean streaming() {
                return true;
            }

            @Override
            public void prune(float[] delta, int from, int len) {
                for (int start = from; start < from + len; start += u.length) {
                    int count = Math.min(u.length, from + len - start);
                    draws.fillUniformFloats(start, u, 0, count);
                    // keep where u < p: a branch-free 1 or 0 (the outcome is random); the block is copied so that
                    // the loop indexes both arrays alike and vectorises. A dropped element becomes ±0, as torch's
                    // tensor * mask gives.
                    System.arraycopy(delta, start, block, 0, count);
                    for (int j = 0; j < count; j++) {
                        block[j] *= Branchless.positive(p - u[j]);
                    }
                    System.arraycopy(block, 0, delta, start, count);
                }
            }
        };
    }
}
