package dev.evomerge.search.cmaes;

/**
 * Eigendecomposition of a real symmetric matrix: {@code A = V diag(values) V^T} with orthonormal eigenvectors in the
 * columns of {@code V}, eigenvalues ascending. Householder reduction to tridiagonal form, then the implicit QL
 * algorithm with Wilkinson shifts (Golub and Van Loan, "Matrix Computations", 4th ed., sections 8.3 and 5.1; the QL
 * variant as in Wilkinson and Reinsch, "Handbook for Automatic Computation II", 1971). O(n^3).
 *
 * <p>Deterministic: plain IEEE arithmetic in a fixed order, and {@link StrictMath} where a library function is
 * needed, so the same matrix gives the same bits on every machine, which a restored CMA-ES needs. The O(n^3) loops
 * run over contiguous rows (the orthogonal factor is held transposed, one eigenvector per row) so that they compile
 * to vector instructions, in blocks on the common fork-join pool when large ({@link Blocks}); every element is still
 * computed in the same order as by the plain column-by-column algorithm, so the bits do not depend on the number of
 * threads. The QL iterations only need the tridiagonal matrix, so their plane rotations are recorded and applied to
 * the eigenvectors in batches, a narrow strip of columns at a time that stays in cache.
 *
 * <p>Immutable result; the input is not modified.
 */
final class SymmetricEigen {

    private static final int MAX_SWEEPS_PER_EIGENVALUE = 64;
    /** Columns per block of the matrix-vector products and of the reflector applications. */
    private static final int COLUMNS = 128;
    /** Rows per block of the symmetric rank-2 update. */
    private static final int ROWS = 16;
    /** Columns per strip to which a batch of rotations is applied (the strip of all n rows stays in cache). */
    private static final int ROTATION_COLUMNS = 32;
    /** Rotations recorded before they are applied. */
    private static final int ROTATION_BATCH = 1 << 18;

    private final double[] values;
    private final double[][] rows;      // rows[j] is the j-th eigenvector

    private SymmetricEigen(double[] values, double[][] rows) {
        this.values = values;
        this.rows = rows;
    }

    /** Decomposes the symmetric matrix {@code a} (only the lower triangle is read). */
    static SymmetricEigen of(double[][] a) {
        for (int i = 0; i < a.length; i++) {
            if (a[i].length != a.length) {
                throw new IllegalArgumentException("matrix must be square, row " + i + " has " + a[i].length);
            }
        }
        return ofLowerRows(a);
    }

    /**
     * Decomposes the symmetric matrix whose lower triangle {@code a} holds: row i has at least i + 1 elements, of
     * which {@code a[i][0..i]} are read.
     */
    static SymmetricEigen ofLowerRows(double[][] a) {
        int n = a.length;
        double[][] work = new double[n][n];
        for (int i = 0; i < n; i++) {
            if (a[i].length <= i) {
                throw new IllegalArgumentException("row " + i + " of a lower triangle has " + a[i].length
                        + " elements");
            }
            for (int j = 0; j <= i; j++) {
                work[i][j] = a[i][j];
                work[j][i] = a[i][j];
            }
        }
        return decompose(work);
    }

    /**
     * Decomposes the symmetric n x n matrix whose lower triangle {@code packed} holds row by row
     * ({@code packed[i (i + 1) / 2 + j]} is element (i, j), j <= i); the same bits as {@link #of} of that matrix.
     */
    static SymmetricEigen ofLowerTriangle(double[] packed, int n) {
        if (packed.length != triangleLength(n)) {
            throw new IllegalArgumentException("a lower triangle of " + n + " rows has " + triangleLength(n)
                    + " elements, got " + packed.length);
        }
        double[][] work = new double[n][n];
        int at = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                work[i][j] = packed[at];
                work[j][i] = packed[at];
                at++;
            }
        }
        return decompose(work);
    }

    /** The number of elements in the lower triangle (diagonal included) of an n x n matrix. */
    static int triangleLength(int n) {
        return Math.toIntExact((long) n * (n + 1) / 2);
    }

    private static SymmetricEigen decompose(double[][] work) {
        int n = work.length;
        double[] diagonal = new double[n];
        double[] offDiagonal = new double[n];
        double[][] qt = tridiagonalize(work, diagonal, offDiagonal);
        diagonalize(diagonal, offDiagonal, qt);
        return sorted(diagonal, qt);
    }

    /** Eigenvalues, ascending (a copy). */
    double[] values() {
        return values.clone();
    }

    /** Eigenvectors as columns: {@code vectors()[i][j]} is component i of the j-th eigenvector (a copy). */
    double[][] vectors() {
        int n = values.length;
        double[][] columns = new double[n][n];
        for (int j = 0; j < n; j++) {
            for (int i = 0; i < n; i++) {
                columns[i][j] = rows[j][i];
            }
        }
        return columns;
    }

    /** Eigenvectors as rows: {@code rows()[j]} is the j-th eigenvector (this result's own arrays, not copied). */
    double[][] rows() {
        return rows;
    }

    /**
     * Reduces the symmetric {@code a} (overwritten, kept symmetric bit for bit) to tridiagonal form
     * {@code T = Q^T A Q} by Householder reflections applied column by column; returns {@code Q} transposed (row i
     * is Q's column i) and fills the diagonal and the sub-diagonal ({@code offDiagonal[i]} couples rows i and i+1;
     * the last entry is 0).
     */
    private static double[][] tridiagonalize(double[][] a, double[] diagonal, double[] offDiagonal) {
        int n = a.length;
        double[][] qt = new double[n][n];
        for (int i = 0; i < n; i++) {
            qt[i][i] = 1.0;
        }
        double[] v = new double[n];
        double[] p = new double[n];
        double[] s = new double[n];
        for (int k = 0; k + 2 < n; k++) {
            // Reflect x = a[k+1..n-1][k] (row k holds the same numbers) onto alpha * e1, which zeroes column k below
            // the sub-diagonal.
            double[] column = a[k];
            double scale = 0.0;
            for (int i = k + 1; i < n; i++) {
                scale += Math.abs(column[i]);
            }
            if (scale == 0.0) {
                continue;
            }
            double norm2 = 0.0;
            for (int i = k + 1; i < n; i++) {
                v[i] = column[i] / scale;
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
            int from = k + 1;
            long trailing = (long) (n - from) * (n - from);
            // Trailing block A' = H A H with H = I - 2 v v^T: A' = A - v w^T - w v^T, w = 2 (A v) - 2 (v^T A v) v.
            // (A v)_i sums a[i][j] v[j] over ascending j; a[j] is row j and, A being symmetric, column j.
            java.util.Arrays.fill(p, from, n, 0.0);
            Blocks.run(Blocks.count(n - from, COLUMNS), trailing, b -> {
                int lo = from + b * COLUMNS;
                int hi = Math.min(n, lo + COLUMNS);
                for (int j = from; j < n; j++) {
                    double vj = v[j];
                    double[] row = a[j];
                    for (int i = lo; i < hi; i++) {
                        p[i] += row[i] * vj;
                    }
                }
            });
            double vap = 0.0;
            for (int i = from; i < n; i++) {
                vap += v[i] * p[i];
            }
            double twoVap = 2.0 * vap;
            for (int i = from; i < n; i++) {
                p[i] = 2.0 * p[i] - twoVap * v[i];
            }
            // Row by row; element (i, j) above the diagonal gets the value computed for (j, i) below it.
            Blocks.run(Blocks.count(n - from, ROWS), trailing, b -> {
                int end = Math.min(n, from + (b + 1) * ROWS);
                for (int i = from + b * ROWS; i < end; i++) {
                    double[] row = a[i];
                    double vi = v[i];
                    double pi = p[i];
                    for (int j = from; j <= i; j++) {
                        row[j] = row[j] - vi * p[j] - pi * v[j];
                    }
                    for (int j = i + 1; j < n; j++) {
                        row[j] = row[j] - v[j] * pi - p[j] * vi;
                    }
                }
            });
            a[k + 1][k] = alpha * scale;
            a[k][k + 1] = alpha * scale;
            for (int i = k + 2; i < n; i++) {
                a[i][k] = 0.0;
                a[k][i] = 0.0;
            }
            // Q <- Q H, on Q's rows r (the columns of qt): s_r = 2 sum_i q[r][i] v[i], q[r][i] -= s_r v[i].
            Blocks.run(Blocks.count(n, COLUMNS), (long) n * (n - from), b -> {
                int lo = b * COLUMNS;
                int hi = Math.min(n, lo + COLUMNS);
                java.util.Arrays.fill(s, lo, hi, 0.0);
                for (int i = from; i < n; i++) {
                    double vi = v[i];
                    double[] row = qt[i];
                    for (int r = lo; r < hi; r++) {
                        s[r] += row[r] * vi;
                    }
                }
                for (int r = lo; r < hi; r++) {
                    s[r] *= 2.0;
                }
                for (int i = from; i < n; i++) {
                    double vi = v[i];
                    double[] row = qt[i];
                    for (int r = lo; r < hi; r++) {
                        row[r] -= s[r] * vi;
                    }
                }
            });
        }
        for (int i = 0; i < n; i++) {
            diagonal[i] = a[i][i];
            offDiagonal[i] = i + 1 < n ? a[i + 1][i] : 0.0;
        }
        return qt;
    }

    /**
     * Implicit QL iterations with Wilkinson shifts on the tridiagonal (diagonal, offDiagonal), rotating the rows of
     * {@code zt} (the transposed eigenvector matrix) along; afterwards {@code diagonal} holds the eigenvalues and
     * {@code zt}'s rows the eigenvectors.
     */
    private static void diagonalize(double[] d, double[] e, double[][] zt) {
        int n = d.length;
        Rotations rotations = new Rotations(zt);
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
                    rotations.add(i, s, c);
                }
                if (deflated) {
                    continue;
                }
                d[l] -= p;
                e[l] = g;
                e[m] = 0.0;
            }
        }
        rotations.apply();
    }

    /**
     * Plane rotations of rows (i, i + 1) of a matrix, recorded in order and applied in batches: a strip of columns
     * at a time takes every rotation of the batch, so the strip stays in cache; each element sees the rotations in
     * the recorded order.
     */
    private static final class Rotations {

        private final double[][] rows;
        private final int[] index = new int[ROTATION_BATCH];
        private final double[] sine = new double[ROTATION_BATCH];
        private final double[] cosine = new double[ROTATION_BATCH];
        private int count;

        Rotations(double[][] rows) {
            this.rows = rows;
        }

        void add(int i, double s, double c) {
            if (count == ROTATION_BATCH) {
                apply();
            }
            index[count] = i;
            sine[count] = s;
            cosine[count] = c;
            count++;
        }

        /** Applies the recorded rotations: row i+1 becomes s x_i + c x_{i+1}, row i becomes c x_i - s x_{i+1}. */
        void apply() {
            int n = rows.length;
            int recorded = count;
            Blocks.run(Blocks.count(n, ROTATION_COLUMNS), (long) recorded * n, b -> {
                int lo = b * ROTATION_COLUMNS;
                int hi = Math.min(n, lo + ROTATION_COLUMNS);
                for (int t = 0; t < recorded; t++) {
                    double[] x = rows[index[t]];
                    double[] y = rows[index[t] + 1];
                    double s = sine[t];
                    double c = cosine[t];
                    for (int k = lo; k < hi; k++) {
                        double yk = y[k];
                        y[k] = s * x[k] + c * yk;
                        x[k] = c * x[k] - s * yk;
                    }
                }
            });
            count = 0;
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

    private static SymmetricEigen sorted(double[] d, double[][] zt) {
        int n = d.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (x, y) -> Double.compare(d[x], d[y]));
        double[] values = new double[n];
        double[][] rows = new double[n][];
        for (int j = 0; j < n; j++) {
            values[j] = d[order[j]];
            rows[j] = zt[order[j]];
        }
        return new SymmetricEigen(values, rows);
    }
}
