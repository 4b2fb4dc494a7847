package dev.evomerge.search.ga;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The initial genomes a genetic search's settings carry: checked against the encoding and the population size,
 * copied in and out (a {@code double[]} is mutable), and compared by value.
 *
 * <p>Stateless and thread-safe.
 */
public final class InitialGenomes {

    private InitialGenomes() {
    }

    /**
     * A copy of {@code genomes} for settings with this encoding and population size.
     *
     * @throws IllegalArgumentException when there are more genomes than the population holds, or one is out of
     *     bounds
     */
    public static List<double[]> checked(List<double[]> genomes, GenomeEncoding encoding, int populationSize) {
        if (genomes.size() > populationSize) {
            throw new IllegalArgumentException(genomes.size() + " initial genomes exceed the population size "
                    + populationSize);
        }
        for (double[] g : genomes) {
            if (!encoding.bounds().contains(g)) {
                throw new IllegalArgumentException("an initial genome is not within " + encoding.bounds());
            }
        }
        return copy(genomes);
    }

    /** A deep copy. */
    public static List<double[]> copy(List<double[]> genomes) {
        List<double[]> copy = new ArrayList<>(genomes.size());
        for (double[] g : genomes) {
            copy.add(g.clone());
        }
        return List.copyOf(copy);
    }

    /** Whether both lists hold equal genomes in the same order. */
    public static boolean same(List<double[]> a, List<double[]> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!Arrays.equals(a.get(i), b.get(i))) {
                return false;
            }
        }
        return true;
    }
}
