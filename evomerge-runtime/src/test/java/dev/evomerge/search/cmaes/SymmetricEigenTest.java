package dev.evomerge.search.cmaes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.evomerge.search.Xoshiro256;
import org.junit.jupiter.api.Test;

class SymmetricEigenTest {

    @Test
    void of_knownMatrix_givesKnownEigenvalues() {
        // [[2, -1, 0], [-1, 2, -1], [0, -1, 2]] has eigenvalues 2 - sqrt(2), 2, 2 + sqrt(2).
        double[][] a = {{2, -1, 0}, {-1, 2, -1}, {0, -1, 2}};
        SymmetricEigen e = SymmetricEigen.of(a);
        assertArrayEquals(new double[] {2 - Math.sqrt(2), 2, 2 + Math.sqrt(2)}, e.values(), 1e-14);
        assertDecomposes(a, e, 1e-14);
    }

    @Test
    void of_diagonalMatrix_returnsSortedDiagonalAndUnitVectors() {
        double[][] a = {{3, 0, 0}, {0, 1, 0}, {0, 0, 2}};
        SymmetricEigen e = SymmetricEigen.of(a);
        assertArrayEquals(new double[] {1, 2, 3}, e.values(), 0.0);
        double[][] v = e.vectors();
        assertEquals(1.0, Math.abs(v[1][0]), 0.0);
        assertEquals(1.0, Math.abs(v[2][1]), 0.0);
        assertEquals(1.0, Math.abs(v[0][2]), 0.0);
    }

    @Test
    void of_randomSymmetricMatrices_decomposeToRoundingError() {
        Xoshiro256 r = Xoshiro256.seeded(2);
        for (int n : new int[] {1, 2, 3, 10, 31, 64}) {
            double[][] a = new double[n][n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j <= i; j++) {
                    a[i][j] = r.nextGaussian();
                    a[j][i] = a[i][j];
                }
            }
            SymmetricEigen e = SymmetricEigen.of(a);
            double[] values = e.values();
            for (int j = 1; j < n; j++) {
                assertTrue(values[j - 1] <= values[j], "ascending");
            }
            assertDecomposes(a, e, 1e-12 * n);
        }
    }

    @Test
    void of_illConditionedCovariance_keepsSmallEigenvaluesAccurate() {
        // C = Q diag(1e-12 .. 1) Q^T with a random orthogonal Q, as a converged CMA-ES produces.
        int n = 10;
        Xoshiro256 r = Xoshiro256.seeded(4);
        double[][] m = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                m[i][j] = r.nextGaussian();
                m[j][i] = m[i][j];
            }
        }
        double[][] q = SymmetricEigen.of(m).vectors();
        double[] lambda = new double[n];
        for (int k = 0; k < n; k++) {
            lambda[k] = Math.pow(10, -12 + 12.0 * k / (n - 1));
        }
        double[][] c = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int k = 0; k < n; k++) {
                    s += q[i][k] * lambda[k] * q[j][k];
                }
                c[i][j] = s;
            }
        }
        double[] values = SymmetricEigen.of(c).values();
        for (int k = 0; k < n; k++) {
            // Absolute accuracy is about eps * ||C||; the smallest one is 1e-12.
            assertEquals(lambda[k], values[k], 1e-14);
        }
    }

    @Test
    void of_sameMatrixTwice_givesIdenticalBits() {
        Xoshiro256 r = Xoshiro256.seeded(8);
        double[][] a = new double[12][12];
        for (int i = 0; i < 12; i++) {
            for (int j = 0; j <= i; j++) {
                a[i][j] = r.nextGaussian();
                a[j][i] = a[i][j];
            }
        }
        SymmetricEigen x = SymmetricEigen.of(a);
        SymmetricEigen y = SymmetricEigen.of(a);
        assertArrayEquals(x.values(), y.values(), 0.0);
        for (int i = 0; i < 12; i++) {
            assertArrayEquals(x.vectors()[i], y.vectors()[i], 0.0);
        }
    }

    /** A V = V diag(values) and V^T V = I, within {@code tolerance} times the matrix's largest entry. */
    private static void assertDecomposes(double[][] a, SymmetricEigen e, double tolerance) {
        int n = a.length;
        double[][] v = e.vectors();
        double[] values = e.values();
        double scale = 1;
        for (double[] row : a) {
            for (double x : row) {
                scale = Math.max(scale, Math.abs(x));
            }
        }
        for (int j = 0; j < n; j++) {
            for (int i = 0; i < n; i++) {
                double av = 0;
                for (int k = 0; k < n; k++) {
                    av += a[i][k] * v[k][j];
                }
                assertEquals(values[j] * v[i][j], av, tolerance * scale, "residual at " + i + "," + j);
            }
            for (int k = 0; k < n; k++) {
                double dot = 0;
                for (int i = 0; i < n; i++) {
                    dot += v[i][j] * v[i][k];
                }
                assertEquals(j == k ? 1.0 : 0.0, dot, tolerance, "orthonormality " + j + "," + k);
            }
        }
    }
}
