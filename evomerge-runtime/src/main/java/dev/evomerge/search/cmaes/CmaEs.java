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
 * generator, the distribution (mean, step size, both paths, C and its last eigendecomposition) and the pending
 * samples, so {@link #restore(JsonNode)} continues bit for bit.
 *
 * <p>Not thread-safe.
 */
public final class CmaEs extends AbstractCmaEs {

    /** The {@link #kind()} written in the state. */
    public static final String KIND = "cmaes";
    private static final int STATE_VERSION = 1;

    private final double[][] covariance;   // [n][n], symmetric
    private double[][] eigenvectors;       // [n][n], columns are C's eigenvectors as of eigenGeneration
    private double[] eigenRoots;           // [n], square roots of C's eigenvalues as of eigenGeneration
    private long eigenGeneration;

    private CmaEs(CmaEsSettings settings, Xoshiro256 random) {
        super(settings, random, settings.activeCovariance());
        this.covariance = new double[n][n];
    }

    /** A new search at generation 0, drawing every random number from {@code random} (which it now owns). */
    public static CmaEs start(CmaEsSettings settings, Xoshiro256 random) {
        CmaEs cma = new CmaEs(settings, random);
        cma.begin();
        cma.eigenvectors = new double[cma.n][cma.n];
        cma.eigenRoots = new double[cma.n];
        for (int i = 0; i < cma.n; i++) {
            cma.covariance[i][i] = 1.0;
            cma.eigenvectors[i][i] = 1.0;
            cma.eigenRoots[i] = 1.0;
        }
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

    /** {@code y = B D z}: a step in internal coordinates, before scaling by sigma. */
    @Override
    double[] step(double[] z) {
        double[] dz = new double[n];
        for (int j = 0; j < n; j++) {
            dz[j] = eigenRoots[j] * z[j];
        }
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            double s = 0.0;
            double[] row = eigenvectors[i];
            for (int j = 0; j < n; j++) {
                s += row[j] * dz[j];
            }
            y[i] = s;
        }
        return y;
    }

    /** C^{-1/2} y_w = B z_w, since y = B D z with the same B and D. */
    @Override
    double[] whitened(double[] zw) {
        double[] white = new double[n];
        for (int i = 0; i < n; i++) {
            double s = 0.0;
            for (int j = 0; j < n; j++) {
                s += eigenvectors[i][j] * zw[j];
            }
            white[i] = s;
        }
        return white;
    }

    /** Rank-one and rank-mu update of C (tutorial, equations (46)-(47)). */
    @Override
    void updateCovariance(Integer[] order, double[][] z, double[][] y, boolean hsig) {
        // Rank-mu weights; negative ones are rescaled by n / ||C^{-1/2} y||^2 = n / ||z||^2 (equation (46)).
        double[] w = new double[p.lambda()];
        for (int r = 0; r < w.length; r++) {
            double wr = p.weight(r);
            if (wr < 0) {
                double z2 = 0.0;
                for (double v : z[order[r]]) {
                    z2 += v * v;
                }
                wr *= n / z2;
            }
            w[r] = wr;
        }
        double deltaH = hsig ? 0.0 : p.cc() * (2.0 - p.cc());
        double keep = 1.0 + p.c1() * deltaH - p.c1() - p.cmu() * p.weightSum();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double rankMu = 0.0;
                for (int r = 0; r < w.length; r++) {
                    if (w[r] != 0.0) {
                        double[] yr = y[order[r]];
                        rankMu += w[r] * yr[i] * yr[j];
                    }
                }
                double c = keep * covariance[i][j] + p.c1() * pathC[i] * pathC[j] + p.cmu() * rankMu;
                covariance[i][j] = c;
                covariance[j][i] = c;
            }
        }
    }

    @Override
    void afterGeneration() {
        if (generation - eigenGeneration >= p.eigenInterval()) {
            decompose();
        }
    }

    /** B and D from the current C; a C that lost positive definiteness to rounding gets its diagonal lifted. */
    private void decompose() {
        SymmetricEigen eigen = SymmetricEigen.of(covariance);
        double[] values = eigen.values();
        double max = values[n - 1];
        if (!(values[0] > max * 1e-20)) {
            double lift = max * 1e-14 - values[0];
            for (int i = 0; i < n; i++) {
                covariance[i][i] += lift;
            }
            eigen = SymmetricEigen.of(covariance);
            values = eigen.values();
        }
        eigenvectors = eigen.vectors();
        for (int j = 0; j < n; j++) {
            eigenRoots[j] = Math.sqrt(values[j]);
        }
        eigenGeneration = generation;
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
            double shift = 0.1 * sigma * eigenRoots[axis] * eigenvectors[i][axis];
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

    /**
     * The state: {@code optimizer} ("cmaes"), {@code version} (1), {@code settings} ({@code x0}, {@code sigma0},
     * {@code populationSize}, {@code bounds} {lower, upper}, {@code direction}, {@code activeCovariance},
     * {@code tolerances}), {@code random} (4 longs), {@code generation}, {@code evaluations}, {@code mean} (internal
     * coordinates), {@code sigma}, {@code pathC}, {@code pathSigma}, {@code covariance} (n x n),
     * {@code eigenvectors} (n x n, columns), {@code eigenRoots}, {@code eigenGeneration}, {@code recentBestCosts},
     * {@code pending} (the asked generation's standard normal samples, lambda x n, or null), {@code best}
     * ({genome, score, generation} or null) and {@code termination} (or null).
     */
    @Override
    public ObjectNode state() {
        return stateJson(STATE_VERSION);
    }

    @Override
    void writeModel(ObjectNode s) {
        s.set("covariance", StateJson.matrix(covariance));
        s.set("eigenvectors", StateJson.matrix(eigenvectors));
        s.set("eigenRoots", StateJson.doubles(eigenRoots));
        s.put("eigenGeneration", eigenGeneration);
    }

    @Override
    void readModel(JsonNode state) {
        double[][] c = StateJson.matrix(state, "covariance", n, n);
        for (int i = 0; i < n; i++) {
            System.arraycopy(c[i], 0, covariance[i], 0, n);
        }
        eigenvectors = StateJson.matrix(state, "eigenvectors", n, n);
        eigenRoots = StateJson.doubles(state, "eigenRoots", n);
        eigenGeneration = StateJson.longValue(state, "eigenGeneration");
    }

    /** The search {@link #state()} was taken from, continuing exactly where it stood. */
    public static CmaEs restore(JsonNode state) {
        StateJson.requireHeader(state, KIND, STATE_VERSION);
        CmaEsSettings settings = readSettings(StateJson.field(state, "settings"));
        CmaEs cma = new CmaEs(settings, readRandom(state));
        cma.restoreFrom(state);
        return cma;
    }
}
