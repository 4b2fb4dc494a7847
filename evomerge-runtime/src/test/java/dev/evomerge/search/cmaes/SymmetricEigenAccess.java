package dev.evomerge.search.cmaes;

/** Lets the checkpoint benchmark time one eigendecomposition. */
public final class SymmetricEigenAccess {

    private SymmetricEigenAccess() {
    }

    /** Decomposes {@code a} and returns its smallest eigenvalue. */
    public static double decompose(double[][] a) {
        return SymmetricEigen.of(a).values()[0];
    }
}
