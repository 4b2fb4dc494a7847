package dev.evomerge.search.space;

import dev.evomerge.search.Bounds;
import java.util.random.RandomGenerator;

/**
 * A search space as a codec: real genome vectors of a fixed length, the box the optimizer keeps them in, and the
 * decoding of a vector into a candidate (a merge config, a layer path). Decoding is a pure function of the vector:
 * the same genome always gives the same candidate, which is what lets a checkpointed search resume exactly.
 *
 * <p>The bounds are where the optimizer should search; decoding accepts any finite vector of the right length
 * (values outside the bounds decode as each space documents), so an optimizer that only penalises bound
 * violations still gets a well-defined candidate.
 *
 * <p>Implementations are immutable and thread-safe.
 *
 * @param <R> what a genome decodes to
 */
public interface GenomeSpace<R> {

    /** The genome length. */
    int dimension();

    /** The lower bound of each gene (a fresh array of {@link #dimension()} values). */
    double[] lowerBounds();

    /** The upper bound of each gene (a fresh array of {@link #dimension()} values), each above its lower bound. */
    double[] upperBounds();

    /** The bounds as the optimizers take them ({@code CmaEsSettings}, {@code GenomeEncoding}). */
    default Bounds bounds() {
        return new Bounds(lowerBounds(), upperBounds());
    }

    /**
     * The genes that are switches (on iff {@code > 0}) rather than quantities, ascending; a genetic search flips
     * them instead of perturbing them. None by default.
     */
    default int[] indicatorGenes() {
        return new int[0];
    }

    /**
     * The candidate a genome stands for.
     *
     * @throws IllegalArgumentException if the genome has the wrong length or a value that is not finite
     */
    R decode(double[] genome);

    /** A genome drawn uniformly within the bounds from {@code random}. */
    default double[] randomPoint(RandomGenerator random) {
        double[] lower = lowerBounds();
        double[] upper = upperBounds();
        double[] x = new double[lower.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = lower[i] + random.nextDouble() * (upper[i] - lower[i]);
        }
        return x;
    }

    /** Checks a genome's length and values before decoding. */
    static void checkGenome(double[] genome, int dimension) {
        if (genome.length != dimension) {
            throw new IllegalArgumentException("genome has " + genome.length + " genes, the space has " + dimension);
        }
        for (int i = 0; i < genome.length; i++) {
            if (!Double.isFinite(genome[i])) {
                throw new IllegalArgumentException("gene " + i + " is " + genome[i] + "; genes must be finite");
            }
        }
    }
}
