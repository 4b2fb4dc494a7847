package dev.evomerge.merge.method;

import dev.evomerge.diag.RunException;
import dev.evomerge.merge.CounterRandom;
import dev.evomerge.tensor.Shape;
import java.util.Arrays;
import java.util.List;

/**
 * DELLA's MAGPRUNE: ranks each row by magnitude and keeps elements with a probability that grows with the rank,
 * from {@code density − ε} for the smallest to {@code density + ε} for the largest (mergekit's
 * {@code sparsify.della_magprune}).
 *
 * <p>Ranks run along dimension 1 (a 1-D tensor is one row); rank {@code r} in {@code 1..cols} is normalised to
 * {@code (r−1)/(cols−1)} in float32 and the keep probability is {@code (float)(density−ε) + rn·2·(float)ε}.
 * Element {@code e} is kept when {@code draws.uniformFloat(e) < p}. Each row is ranked by sorting packed
 * (magnitude bits, position) keys, O(cols·log cols); equal magnitudes rank the lower index higher, as in
 * {@link RankSelection}.
 *
 * <p>Stateless and thread-safe.
 */
final class DellaSparsifier extends Sparsifier {

    DellaSparsifier() {
        super(true, List.of(ParameterDefinition.optional("epsilon", ParameterKind.NUMBER, 0.15)));
    }

    @Override
    void check(double density, double epsilon, long numel, String where) {
        if (density >= 1 || density <= 0) {
            return;
        }
        if (density + epsilon >= 1 || density - epsilon <= 0) {
            throw new RunException("epsilon " + epsilon + " with density " + density + " for " + where
                    + " puts density ± epsilon outside (0, 1)",
                    "choose epsilon so that density - epsilon > 0 and density + epsilon < 1");
        }
    }

    @Override
    Pruning plan(Shape shape, int numel, double density, double epsilon, CounterRandom.Draws draws) {
        if (density >= 1) {
            return null;
        }
        // Ranks need whole rows, so all the work happens when the whole task vector is there.
        return new Pruning() {
            @Override
            public void prepare(float[] delta) {
                magprune(delta, shape, density, epsilon, draws);
            }

            @Override
            public void prune(float[] delta, int from, int len) {
            }
        };
    }

    private static void magprune(float[] delta, Shape shape, double density, double epsilon,
            CounterRandom.Draws draws) {
        if (density <= 0) {
            Arrays.fill(delta, 0f);
            return;
        }
        // Fibres along dimension 1: [outer, cols, inner]; a 1-D tensor is one row, a scalar one element.
        long outer = shape.rank() < 2 ? 1 : shape.dim(0);
        int cols = Math.toIntExact(shape.rank() == 0 ? 1 : shape.rank() < 2 ? shape.dim(0) : shape.dim(1));
        int inner = 1;
        for (int d = 2; d < shape.rank(); d++) {
            inner = Math.multiplyExact(inner, Math.toIntExact(shape.dim(d)));
        }
        if (cols < 2 && delta.length > 0) {
            throw new RunException("DELLA ranks the elements of each row, but rows of " + shape + " have "
                    + cols + " element", "use another merge method for this tensor (a filter on density: 1 works)");
        }
        float base = (float) (density - epsilon);
        float eps = (float) epsilon;
        long[] packed = new long[cols];
        float divisor = cols - 1;
        for (long o = 0; o < outer; o++) {
            for (int in = 0; in < inner; in++) {
                int start = Math.toIntExact(o * cols * inner + in);
                for (int c = 0; c < cols; c++) {
                    int key = RankSelection.magnitudeKey(delta[start + c * inner]);
                    // Lower position packs as larger, so equal magnitudes rank the lower index higher.
                    packed[c] = ((long) key << 32) | (cols - 1 - c);
                }
                Arrays.sort(packed);
                for (int r = 0; r < cols; r++) {
                    int c = cols - 1 - (int) (packed[r] & 0xFFFFFFFFL);
                    int e = start + c * inner;
                    float rankNorm = r / divisor;
                    float p = base + rankNorm * 2f * eps;
                    if (!(draws.uniformFloat(e) < p)) {
                        delta[e] = 0f;
                    }
                }
            }
        }
    }
}
