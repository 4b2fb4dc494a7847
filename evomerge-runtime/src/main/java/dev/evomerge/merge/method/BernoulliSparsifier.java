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
final class BernoulliSparsifier extends Sparsifier {

    BernoulliSparsifier() {
        super(true, List.of());
    }

    @Override
    void check(double density, double extra, long numel, String where) {
        if (density < 0) {
            throw new RunException("density " + density + " for " + where + " is negative",
                    "use a density between 0 and 1 (the probability of keeping each element)");
        }
    }

    @Override
    Pruning plan(Shape shape, int numel, double density, double extra, CounterRandom.Draws draws) {
        if (density >= 1) {
            return null;
        }
        // u(e) = k(e)·2⁻²⁴ with k(e) a 24-bit integer, so u(e) < p exactly when k(e) < ⌈p·2²⁴⌉ (p·2²⁴ is exact)
        int threshold = (int) Math.ceil((float) density * 0x1p24);
        int[] k = new int[Math.min(BLOCK, numel)];
        float[] block = new float[k.length];
        return new Pruning() {
            @Override
            public boolean streaming() {
                return true;
            }

            @Override
            public void pruneBlock(float[] delta, int from, int len, long absoluteFrom) {
                pruneRange(delta, from, len, absoluteFrom);
            }

            @Override
            public void prune(float[] delta, int from, int len) {
                pruneRange(delta, from, len, from);
            }

            /** Draws the coin flips of elements {@code [element, element+len)} and prunes {@code delta} with them. */
            private void pruneRange(float[] delta, int from, int len, long element) {
                for (int start = 0; start < len; start += k.length) {
                    int count = Math.min(k.length, len - start);
                    draws.fillUniform24(element + start, k, count);
                    System.arraycopy(delta, from + start, block, 0, count);
                    keep(block, count);
                    System.arraycopy(block, 0, delta, from + start, count);
                }
            }

            /**
             * Keeps {@code block[j]} where {@code k[j] < threshold}, for j below {@code count}, multiplying by a 1 or
             * 0 made without a branch (the outcome is random), so a dropped element becomes ±0 as torch's
             * {@code tensor * mask} gives.
             */
            private void keep(float[] block, int count) {
                for (int j = 0; j < count; j++) {
                    block[j] *= (float) ((k[j] - threshold) >>> 31);
                }
            }
        };
    }
}
