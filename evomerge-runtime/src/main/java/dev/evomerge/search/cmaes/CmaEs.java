package dev.evomerge.search.cmaes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.evomerge.search.StateJson;
import dev.evomerge.search.Xoshiro256;

/**
 * Ask/tell CMA-ES as in Hansen's tutorial ("The CMA Evolution Strategy: A Tutorial", arXiv:1604.00772): weighted
 * recombination, cumulative step-size adaptation, rank-one and rank-mu covariance updates (with negative weights
 * for the worst half when {@link CmaEsSettings#activeCovariance()} is on), and a lazy eigendecomposition every
 * {@link CmaEsParameters#eigenInterval()} generations. Box bounds are handled by {@link BoxTransform}. The constants
 * are in {@link CmaEsParameters}, the termination criteria in {@link CmaEsTolerances}.
 *
 * {@snippet :
 * CmaEs cma = CmaEs.start(CmaEsSettings.of(x0, 0.3), Xoshiro256.seeded(1));
 * while (cma.termination().isEmpty() && cma.evaluations() < 10_000) {
 *     List<double[]> xs = cma.ask();
 *     double[] f = new double[xs.size()];
 *     for (int k = 0; k < f.length; k++) {
 *         f[k] = objective(xs.get(k));   // NaN for a failed evaluation
 *     }
 *     cma.tellFitness(f);
 * }
 * }
 *
 * <p>A generation in which every candidate failed leaves the distribution as it was (there is nothing to rank); a
 * generation with some failures ranks them last, so with active CMA they get the most negative weights and steer
 * the covariance away from where candidates fail. The state (see {@link #state()}) holds the settings, the random
 * generator, the distribution (mean, step size, both paths, C and the C its B and D were computed from) and the pending
 * samples, so {@link #restore(JsonNode)} continues bit for bit. Its covariance model's fields (format version 2):
 * {@code covariance} (C's lower triangle, row by row: n (n + 1) / 2 numbers), {@code decomposed} (C's lower triangle
 * as it was when B and D were last computed from it, or null while they are the identity) and
 * {@code eigenGeneration}. B and D are not stored: {@link #restore} decomposes {@code decomposed} again, which gives
 * the same bits; at 4,400 genes the state is two triangles of 77 MB instead of two 155 MB matrices.
 *
 * <p>The O(n^2 lambda) products with B and the covariance update run over contiguous rows in blocks, on the common
 * fork-join pool when large, each number computed in the same order as a plain loop would; the eigendecomposition
 * is {@link SymmetricEigen}'s. The results do not depend on the number of threads.
 *
 * <p>Not thread-safe.
 */
public final class CmaEs extends AbstractCmaEs {

    /** The {@link #kind()} written in the state. */
    public static final String KIND = "cmaes";
    private static final int STATE_VERSION = 2;

    /** Columns per block of the products with B. */
    private static final int COLUMNS = 256;
    /** Rows per block of the covariance update. */
    private static final int ROWS = 16;

    private final double[][] covariance;   // C's lower triangle: row i holds C[i][0..i]
    private double[][] basis;              // [n][n], basis[j] is C's j-th eigenvector (B's column j) as of eigenGeneration
    private double[] eigenRoots;           // [n], square roots of C's eigenvalues as of eigenGeneration
    private long eigenGeneration;
    private double[] decomposed;           // C's lower triangle as of eigenGeneration; null while B and D are I

    private CmaEs(CmaEsSettings settings, Xoshiro256 random) {
        super(settings, random, settings.activeCovariance());
        this.covariance = new double[n][];
        for (int i = 0; i < n; i++) {
            covariance[i] = new double[i + 1];
        }
        this.eigenRoots = new double[n];
    }

    /** A new search at generation 0, drawing every random number from {@code random} (which it now owns). */
    public static CmaEs start(CmaEsSettings settings, Xoshiro256 random) {
        CmaEs cma = new CmaEs(settings, random);
        cma.begin();
        for (int i = 0; i < cma.n; i++) {
            cma.covariance[i][i] = 1.0;
        }
        cma.useIdentity();
        return cma;
    }

    /** The strategy constants in use. */
    public CmaEsParameters parameters() {
        return p;
    }

    @Override
    public String kind() {
        return KIND;
    }

    /** {@code y = B D z} for each sample. */
    @Override
    double[][] steps(double[][] z) {
        return timesB(scaled(eigenRoots, z));
    }

    /** C^{-1/2} y_w = B z_w, since y = B D z with the same B and D. */
    @Override
    double[] whitened(double[] zw) {
        return timesB(new double[][] {zw})[0];
    }

    /**
     * {@code B x} for each row x of {@code xs}: component i sums {@code B[i][j] x[j]} over ascending j, by blocks of
     * components, so that B is read once for all rows and each row of B is read contiguously.
     */
    private double[][] timesB(double[][] xs) {
        double[][] out = new double[xs.length][n];
        Blocks.run(Blocks.count(n, COLUMNS), (long) xs.length * n * n, b -> {
            int lo = b * COLUMNS;
            int hi = Math.min(n, lo + COLUMNS);
            for (int j = 0; j < n; j++) {
                double[] e = basis[j];
                for (int k = 0; k < xs.length; k++) {
                    double s = xs[k][j];
                    double[] o = out[k];
                    for (int i = lo; i < hi; i++) {
                        o[i] += e[i] * s;
                    }
                }
            }
        });
        return out;
    }

    /** Rank-one and rank-mu update of C (tutorial, equations (46)-(47)). */
    @Override
    void updateCovariance(Integer[] order, double[][] z, double[][] y, boolean hsig) {
        // Rank-mu weights; negative ones are rescaled by n / ||C^{-1/2} y||^2 = n / ||z||^2 (equation (46)).
        // Only the candidates with a nonzero weight take part, in rank order.
        double[] weights = new double[p.lambda()];
        double[][] steps = new double[p.lambda()][];
        int used = 0;
        for (int r = 0; r < weights.length; r++) {
            double wr = p.weight(r);
            if (wr < 0) {
                double z2 = 0.0;
                for (double v : z[order[r]]) {
                    z2 += v * v;
                }
                wr *= n / z2;
            }
            if (wr != 0.0) {
                weights[used] = wr;
                steps[used] = y[order[r]];
                used++;
            }
        }
        int count = used;
        double deltaH = hsig ? 0.0 : p.cc() * (2.0 - p.cc());
        double keep = 1.0 + p.c1() * deltaH - p.c1() - p.cmu() * p.weightSum();
        double c1 = p.c1();
        double cmu = p.cmu();
        // The lower triangle, row by row: c_ij = keep c_ij + c1 pc_i pc_j + cmu sum_r w_r y_ri y_rj.
        Blocks.run(Blocks.count(n, ROWS), (long) count * n * n / 2, b -> {
            double[] rankMu = new double[n];
            int end = Math.min(n, (b + 1) * ROWS);
            for (int i = b * ROWS; i < end; i++) {
                java.util.Arrays.fill(rankMu, 0, i + 1, 0.0);
                for (int r = 0; r < count; r++) {
                    double[] yr = steps[r];
                    double s = weights[r] * yr[i];
                    for (int j = 0; j <= i; j++) {
                        rankMu[j] += s * yr[j];
                    }
                }
                double[] row = covariance[i];
                double a = c1 * pathC[i];
                for (int j = 0; j <= i; j++) {
                    row[j] = keep * row[j] + a * pathC[j] + cmu * rankMu[j];
                }
            }
        });
    }

    @Override
    void afterGeneration() {
        if (generation - eigenGeneration >= p.eigenInterval()) {
            decompose();
        }
    }

    /** B and D from the current C; a C that lost positive definiteness to rounding gets its diagonal lifted. */
    private void decompose() {
        SymmetricEigen eigen = SymmetricEigen.ofLowerRows(covariance);
        double[] values = eigen.values();
        double max = values[n - 1];
        if (!(values[0] > max * 1e-20)) {
            double lift = max * 1e-14 - values[0];
            for (int i = 0; i < n; i++) {
                covariance[i][i] += lift;
            }
            eigen = SymmetricEigen.ofLowerRows(covariance);
        }
        decomposed = lowerTriangle(covariance);
        use(eigen);
        eigenGeneration = generation;
    }

    private void use(SymmetricEigen eigen) {
        double[] values = eigen.values();
        basis = eigen.rows();
        for (int j = 0; j < n; j++) {
            eigenRoots[j] = Math.sqrt(values[j]);
        }
    }

    /** B = I and D = I, as a search starts. */
    private void useIdentity() {
        basis = new double[n][n];
        for (int i = 0; i < n; i++) {
            basis[i][i] = 1.0;
            eigenRoots[i] = 1.0;
        }
        decomposed = null;
    }

    /** The rows of a lower triangle packed one after the other (element (i, j), j <= i, at i (i + 1) / 2 + j). */
    private static double[] lowerTriangle(double[][] m) {
        double[] packed = new double[SymmetricEigen.triangleLength(m.length)];
        int at = 0;
        for (int i = 0; i < m.length; i++) {
            System.arraycopy(m[i], 0, packed, at, i + 1);
            at += i + 1;
        }
        return packed;
    }

    @Override
    String checkTermination(double[] costs) {
        CmaEsTolerances tol = settings.tolerances();
        if (tolFunReached(costs)) {
            return "tolfun";
        }
        boolean tolX = true;
        for (int i = 0; i < n && tolX; i++) {
            double spread = sigma * Math.max(Math.abs(pathC[i]), Math.sqrt(covariance[i][i]));
            tolX = spread < tol.tolX() * settings.sigma0();
        }
        if (tolX) {
            return "tolx";
        }
        double maxRoot = 0.0;
        double minRoot = Double.POSITIVE_INFINITY;
        for (double d : eigenRoots) {
            maxRoot = Math.max(maxRoot, d);
            minRoot = Math.min(minRoot, d);
        }
        if (sigma / settings.sigma0() > tol.tolUpSigma() * maxRoot) {
            return "tolupsigma";
        }
        if (maxRoot * maxRoot > tol.maxCondition() * minRoot * minRoot) {
            return "conditioncov";
        }
        int axis = (int) (generation % n);
        boolean noEffectAxis = true;
        for (int i = 0; i < n && noEffectAxis; i++) {
            double shift = 0.1 * sigma * eigenRoots[axis] * basis[axis][i];
            noEffectAxis = mean[i] + shift == mean[i];
        }
        if (noEffectAxis) {
            return "noeffectaxis";
        }
        for (int i = 0; i < n; i++) {
            if (mean[i] + 0.2 * sigma * Math.sqrt(covariance[i][i]) == mean[i]) {
                return "noeffectcoord";
            }
        }
        return null;
    }

    @Override
    int stateVersion() {
        return STATE_VERSION;
    }

    @Override
    void writeModel(ObjectNode s) {
        s.set("covariance", StateJson.doubles(lowerTriangle(covariance)));
        s.set("decomposed", decomposed == null ? null : StateJson.doubles(decomposed));
        s.put("eigenGeneration", eigenGeneration);
    }

    @Override
    void readModel(JsonNode state) {
        int length = SymmetricEigen.triangleLength(n);
        double[] c = StateJson.doubles(state, "covariance", length);
        int at = 0;
        for (int i = 0; i < n; i++) {
            System.arraycopy(c, at, covariance[i], 0, i + 1);
            at += i + 1;
        }
        if (StateJson.has(state, "decomposed")) {
            decomposed = StateJson.doubles(state, "decomposed", length);
            use(SymmetricEigen.ofLowerTriangle(decomposed, n));
        } else {
            useIdentity();
        }
        eigenGeneration = StateJson.longValue(state, "eigenGeneration");
    }

    /** The search {@link #state()} was taken from, continuing exactly where it stood. */
    public static CmaEs restore(JsonNode state) {
        return restore(state, KIND, STATE_VERSION, CmaEs::new);
    }
}
