package dev.evomerge.merge.method;

import dev.evomerge.merge.CounterRandom;
import dev.evomerge.tensor.Shape;
import java.util.List;

/**
 * Model Breadcrumbs' pruning: drops the {@code gamma} fraction of largest magnitudes (outliers) and then the
 * smallest, so that {@code density} of the elements remain (mergekit's {@code sparsify.magnitude_outliers}).
 *
 * <p>With {@code n} elements: {@code target = int(density·n)}, {@code top = int(gamma·n)},
 * {@code bottom = n − target − top}; if {@code bottom < 0} then {@code top += bottom, bottom = 0}. The elements at
 * ascending magnitude ranks {@code [bottom, −top)} are kept, with Python's slice meaning, including its quirk:
 * when {@code top == 0} the slice {@code [bottom:-0]} is empty and the whole delta is zeroed (every tensor of fewer
 * than 100 elements at the default gamma 0.01). Linear-time selection and ties as in {@link RankSelection}.
 *
 * <p>Stateless and thread-safe.
 */
final class OutlierSparsifier extends Sparsifier {

    OutlierSparsifier() {
        super(false, List.of(ParameterDefinition.optional("gamma", ParameterKind.NUMBER, 0.01)));
    }

    @Override
    void check(double density, double gamma, long numel, String where) {
        // mergekit raises nothing here; odd values only keep fewer elements.
    }

    @Override
    Pruning plan(Shape shape, int numel, double density, double gamma, CounterRandom.Draws draws) {
        if (density >= 1) {
            return null;
        }
        long[] range = keptRange(numel, density, gamma);
        return new MagnitudeRange(numel, range[0], range[1]);
    }

    /** The kept ascending ranks {@code [from, to)}, as Python evaluates {@code indices[n_bot:-n_top]}. */
    static long[] keptRange(long n, double density, double gamma) {
        long target = (long) (density * n);
        long top = (long) (gamma * n);
        long bottom = n - target - top;
        if (bottom < 0) {
            top += bottom;
            bottom = 0;
        }
        return new long[] {pythonSliceIndex(bottom, n), pythonSliceIndex(-top, n)};
    }

    /** A Python slice bound over a sequence of length n: negative counts from the end; clamped to [0, n]. */
    private static long pythonSliceIndex(long index, long n) {
        long i = index < 0 ? index + n : index;
        return Math.max(0, Math.min(n, i));
    }
}
