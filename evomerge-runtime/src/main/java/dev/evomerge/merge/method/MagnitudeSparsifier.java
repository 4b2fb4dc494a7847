package dev.evomerge.merge.method;

import dev.evomerge.diag.RunException;
import dev.evomerge.merge.CounterRandom;
import dev.evomerge.tensor.Shape;
import java.util.List;

/**
 * TIES' pruning: keeps the {@code k = int(density * numel)} elements of largest magnitude and zeroes the rest
 * (mergekit's {@code sparsify.magnitude}). Selection is a linear-time radix select ({@link RankSelection}); among
 * equal magnitudes at the cut, the elements with the lower flat index are kept.
 *
 * <p>Stateless and thread-safe.
 */
final class MagnitudeSparsifier extends Sparsifier {

    MagnitudeSparsifier() {
        super(false, List.of());
    }

    @Override
    void check(double density, double extra, long numel, String where) {
        if (density < 1 && keepCount(density, numel) <= 0) {
            throw new RunException("density " + density + " keeps no element of " + where + " (" + numel
                    + " elements, int(density * numel) = " + keepCount(density, numel) + ")",
                    "raise density to at least " + (1.0 / numel) + " for this tensor");
        }
    }

    @Override
    Pruning plan(Shape shape, int numel, double density, double extra, CounterRandom.Draws draws) {
        if (density >= 1) {
            return null;
        }
        return new MagnitudeRange(numel, numel - keepCount(density, numel), numel);
    }

    /** Python's {@code int(density * numel)}: truncation toward zero of the double product. */
    static long keepCount(double density, long numel) {
        return (long) (density * numel);
    }
}
