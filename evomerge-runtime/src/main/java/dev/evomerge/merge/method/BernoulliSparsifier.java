package dev.evomerge.merge.method;

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

    private static final int CHUNK = 4096;

    @Override
    public List<ParameterDefinition> extraParameters() {
        return List.of();
    }

    @Override
    public void check(double density, double extra, long numel, String where) {
        // mergekit accepts any density: at or below 0 everything is dropped, at or above 1 nothing is.
    }

    @Override
    public boolean sparsify(float[] delta, Shape shape, double density, double extra, CounterRandom.Draws draws) {
        if (density >= 1) {
            return false;
        }
        float p = (float) density;
        float[] u = new float[Math.min(CHUNK, delta.length)];
        for (int from = 0; from < delta.length; from += CHUNK) {
            int count = Math.min(CHUNK, delta.length - from);
            draws.fillUniformFloats(from, u, 0, count);
            for (int j = 0; j < count; j++) {
                if (!(u[j] < p)) {
                    delta[from + j] = 0f;
                }
            }
        }
        return true;
    }
}
