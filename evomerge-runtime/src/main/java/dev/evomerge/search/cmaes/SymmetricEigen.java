package dev.evomerge.search.cmaes;

/**
 * Eigendecomposition of a real symmetric matrix: {@code A = V diag(values) V^T} with orthonormal eigenvectors in the
 * columns of {@code V}, eigenvalues ascending. Householder reduction to tridiagonal form, then the implicit QL
 * algorithm with Wilkinson shifts (Golub and Van Loan, "Matrix Computations", 4th ed., sections 8.3 and 5.1; the QL
 * variant as in Wilkinson and Reinsch, "Handbook for Automatic Computation II", 1971). O(n^3).
 *
 * <p>Deterministic: plain IEEE arithmetic in a fixed order, and {@link StrictMath} where a library function is
 * needed, so the same matrix gives the same bits on every machine, which a restored CMA-ES needs.
 *
 * <p>Immutable result; the input is not modified.
 */
final class SymmetricEigen {

    private static final int MAX_SWEEPS_PER_EIGENVALUE = 64;

    private final double[] values;
    private final double[][] vectors;

    private SymmetricEigen(double[] values, double[][] vectors) {
        this.values = values;
        this.vectors = vectors;
    }

    /** Decomposes the symmetric matrix {@code a} (only the lower triangle is read). */
    static SymmetricEigen of(double[][] a) {
        int n = a.length;
        double[][] work = new double[n][n];
        for (int i = 0; i < n; i++) {
            if (a[i].length != n) {
                throw new IllegalArgumentException("matrix must be square, row " + i + " has " + a[i].length);
            }
            for (int j = 0; j <= i; j++) {
                work[i][j] = a[i][j];
                work[j][i] = a[i][j];
            }
        }
        double[] diagonal = new double[n];
        double[] offDiagonal = new double[n];
        double[][] q = tridiagonalize(work, diagonal, offDiagonal);
        diagonalize(diagonal, offDiagonal, q);
        return sorted(diagonal, q);
    }

    /** Eigenvalues, ascending (a copy). */
    double[] values() {
        return values.clone();
    }

    /** Eigenvectors as columns: {@code vectors()[i][j]} is component i of the j-th eigenvector (a copy). */
    double[][] vectors() {
        double[][] copy = new double[vectors.length][];
        for (int i = 0; i < copy.length; i++) {
            copy[i] = vectors[i].clone();
        }
        return copy;
    }

    /**
     * Reduces the symmetric {@code a} (overwritten) to tridiagonal form {@code T = Q^T A Q} by Householder
     * reflections applied column by column; returns {@code Q} and fills the diagonal and the sub-diagonal
     * ({@code offDiagonal[i]} couples rows i and i+1; the last entry is 0).
     */
    private static double[][] tridiagonalize(double[][] a, double[] diagonal, double[] offDiagonal) {
        int n = a.length;
        double[][] q = new double[n][n];
        for (int i = 0; i < n; i++) {
            q[i][i] = 1.0;
        }
        double[] v = new double[n];
        double[] p = new double[n];
        for (int k = 0; k + 2 < n; k++) {
            // Reflect x = a[k+1..n-1][k] onto alpha * e1, which zeroes column k below the sub-diagonal.
            double scale = 0.0;
            for (int i = k + 1; i < n; i++) {
                scale += Math.abs(a[i][k]);
            }
            if (scale == 0.0) {
                continue;
            }
            double norm2 = 0.0;
            for (int i = k + 1; i < n; i++) {
                v[i] = a[i][k] / scale;
                norm2 += v[i] * v[i];
            }
            double alpha = v[k + 1] > 0 ? -Math.sqrt(norm2) : Math.sqrt(norm2);
            v[k + 1] -= alpha;
            double vNorm2 = 0.0;
            for (int i = k + 1; i < n; i++) {
                vNorm2 += v[i] * v[i];
            }
            if (vNorm2 == 0.0) {
                continue;
            }
            double vNorm = Math.sqrt(vNorm2);
            for (int i = k + 1; i < n; i++) {
                v[i] /= vNorm;
            }
            // Trailing block A' = H A H with H = I - 2 v v^T: A' = A - v w^T - w v^T, w = 2 (A v) - 2 (v^T A v) v.
            double vap = 0.0;
            for (int i = k + 1; i < n; i++) {
                double s = 0.0;
                for (int j = k + 1; j < n; j++) {
                    s += a[i][j] * v[j];
                }
                p[i] = s;
                vap += v[i] * s;
            }
            for (int i = k + 1; i < n; i++) {
                p[i] = 2.0 * p[i] - 2.0 * vap * v[i];
            }
            for (int i = k + 1; i < n; i++) {
                for (int j = k + 1; j <= i; j++) {
                    double updated = a[i][j] - v[i] * p[j] - p[i] * v[j];
                    a[i][j] = updated;
                    a[j][i] = updated;
                }
            }
            a[k + 1][k] = alpha * scale;
            a[k][k + 1] = alpha * scale;
            for (int i = k + 2; i < n; i++) {
                a[i][k] = 0.0;
                a[k][i] = 0.0;
            }
            // Q <- Q H.
            for (int r = 0; r < n; r++) {
                double s = 0.0;
                for (int i = k + 1; i < n; i++) {
                    s += q[r][i] * v[i];
                }
                s *= 2.0;
                for (int i = k + 1; i < n; i++) {
                    q[r][i] -= s * v[i];
                }
            }
        }
        for (int i = 0; i < n; i++) {
            diagonal[i] = a[i][i];
            offDiagonal[i] = i + 1 < n ? a[i + 1][i] : 0.0;
        }
        return q;
    }

    /**
     * Implicit QL iterations with Wilkinson shifts on the tridiagonal (diagonal, offDiagonal), rotating the columns
     * of {@code z} along; afterwards {@code diagonal} holds the eigenvalues and {@code z}'s columns the eigenvectors.
     */
    private static void diagonalize(double[] d, double[] e, double[][] z) {
        int n = d.length;
        double eps = Math.ulp(1.0);
        for (int l = 0; l < n; l++) {
            int iterations = 0;
            while (true) {
                int m = l;
                while (m + 1 < n) {
                    double dd = Math.abs(d[m]) + Math.abs(d[m + 1]);
                    if (Math.abs(e[m]) <= eps * dd) {
                        break;
                    }
                    m++;
                }
                if (m == l) {
                    break;
                }
                if (++iterations > MAX_SWEEPS_PER_EIGENVALUE) {
                    throw new ArithmeticException("symmetric eigendecomposition did not converge");
                }
                // Wilkinson shift from the leading 2x2 block.
                double g = (d[l + 1] - d[l]) / (2.0 * e[l]);
                double r = hypot(g, 1.0);
                g = d[m] - d[l] + e[l] / (g + Math.copySign(r, g));
                double s = 1.0;
                double c = 1.0;
                double p = 0.0;
                boolean deflated = false;
                for (int i = m - 1; i >= l; i--) {
                    double f = s * e[i];
                    double b = c * e[i];
                    r = hypot(f, g);
                    e[i + 1] = r;
                    if (r == 0.0) {
                        // Underflow: the matrix split; restart on the smaller block.
                        d[i + 1] -= p;
                        e[m] = 0.0;
                        deflated = true;
                        break;
                    }
                    s = f / r;
                    c = g / r;
                    g = d[i + 1] - p;
                    r = (d[i] - g) * s + 2.0 * c * b;
                    p = s * r;
                    d[i + 1] = g + p;
                    g = c * r - b;
                    for (int k = 0; k < n; k++) {
                        double zk1 = z[k][i + 1];
                        z[k][i + 1] = s * z[k][i] + c * zk1;
                        z[k][i] = c * z[k][i] - s * zk1;
                    }
                }
                if (deflated) {
                    continue;
                }
                d[l] -= p;
                e[l] = g;
                e[m] = 0.0;
            }
        }
    }

    /**
     * {@code sqrt(a^2 + b^2)}: the plain formula (exactly rounded operations, so deterministic) unless it
     * overflows or underflows, then {@link StrictMath#hypot}.
     */
    private static double hypot(double a, double b) {
        double s = a * a + b * b;
        if (s > Double.MIN_NORMAL && s < Double.MAX_VALUE) {
            return Math.sqrt(s);
        }
        return StrictMath.hypot(a, b);
    }

    private static SymmetricEigen sorted(double[] d, double[][] z) {
        int n = d.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (x, y) -> Double.compare(d[x], d[y]));
        double[] values = new double[n];
        double[][] vectors = new double[n][n];
        for (int j = 0; j < n; j++) {
            values[j] = d[order[j]];
            for (int i = 0; i < n; i++) {
                vectors[i][j] = z[i][order[j]];
            }
        }
        return new SymmetricEigen(values, vectors);
    }
}
