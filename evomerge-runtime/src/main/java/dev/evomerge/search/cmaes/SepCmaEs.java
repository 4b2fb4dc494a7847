package dev.evomerge.search.cmaes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.evomerge.search.StateJson;
import dev.evomerge.search.Xoshiro256;

/**
 * Separable CMA-ES (Ros and Hansen, "A Simple Modification in CMA-ES Achieving Linear Time and Space Complexity",
 * PPSN 2008): {@link CmaEs} with a diagonal covariance matrix. Sampling, recombination, both paths and the step-size
 * control are CMA-ES' with C = diag(c), so no eigendecomposition is needed and a generation costs O(λ·n) time and
 * O(n) memory besides the samples; the learning rates of the covariance are raised by (n + 2) / 3, since only n
 * numbers are learned instead of n(n + 1)/2. Positive recombination weights only. For the thousands of genes of a
 * paper-scale data-flow search, where a full n x n matrix costs hundreds of megabytes and adapts too slowly to matter
 * within the budget. Box bounds as {@link CmaEs} handles them ({@link BoxTransform}); the settings are
 * {@link CmaEsSettings} ({@code activeCovariance} is ignored). The state holds everything, so {@link #restore}
 * continues bit for bit; its covariance model's field (format version 1) is {@code variances}, C's diagonal.
 *
 * <p>Not thread-safe.
 */
public final class SepCmaEs extends AbstractCmaEs {

    /** The {@link #kind()} written in the state. */
    public static final String KIND = "sep-cmaes";
    private static final int STATE_VERSION = 1;

    private final double c1;
    private final double cmu;
    private final double[] variances;            // C's diagonal

    private SepCmaEs(CmaEsSettings settings, Xoshiro256 random) {
        super(settings, random, false);
        double raise = (n + 2.0) / 3.0;
        double a = p.c1() * raise;
        double b = p.cmu() * raise;
        if (a + b > 1.0) {
            double scale = 1.0 / (a + b);
            a *= scale;
            b *= scale;
        }
        this.c1 = a;
        this.cmu = b;
        this.variances = new double[n];
    }

    /** A new search at generation 0, drawing every random number from {@code random} (which it now owns). */
    public static SepCmaEs start(CmaEsSettings settings, Xoshiro256 random) {
        SepCmaEs cma = new SepCmaEs(settings, random);
        cma.begin();
        java.util.Arrays.fill(cma.variances, 1.0);
        return cma;
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    double[][] steps(double[][] z) {
        double[] deviations = new double[n];
        for (int i = 0; i < n; i++) {
            deviations[i] = Math.sqrt(variances[i]);
        }
        return scaled(deviations, z);
    }

    /** With a diagonal C, C^{-1/2} y_w is z_w itself. */
    @Override
    double[] whitened(double[] zw) {
        return zw;
    }

    @Override
    void updateCovariance(Integer[] order, double[][] z, double[][] y, boolean hsig) {
        int mu = p.mu();
        double deltaH = hsig ? 0.0 : p.cc() * (2.0 - p.cc());
        double keep = 1.0 + c1 * deltaH - c1 - cmu;
        for (int i = 0; i < n; i++) {
            double rankMu = 0.0;
            for (int r = 0; r < mu; r++) {
                double v = y[order[r]][i];
                rankMu += p.weight(r) * v * v;
            }
            variances[i] = keep * variances[i] + c1 * pathC[i] * pathC[i] + cmu * rankMu;
        }
    }

    /** tolfun and tolx as {@link CmaEs} checks them, and tolupsigma and conditioncov on the diagonal. */
    @Override
    String checkTermination(double[] costs) {
        CmaEsTolerances tol = settings.tolerances();
        if (tolFunReached(costs)) {
            return "tolfun";
        }
        boolean tolX = true;
        double maxVar = 0.0;
        double minVar = Double.POSITIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            tolX &= sigma * Math.max(Math.abs(pathC[i]), Math.sqrt(variances[i])) < tol.tolX() * settings.sigma0();
            maxVar = Math.max(maxVar, variances[i]);
            minVar = Math.min(minVar, variances[i]);
        }
        if (tolX) {
            return "tolx";
        }
        if (sigma / settings.sigma0() > tol.tolUpSigma() * Math.sqrt(maxVar)) {
            return "tolupsigma";
        }
        if (maxVar > tol.maxCondition() * minVar) {
            return "conditioncov";
        }
        return null;
    }

    @Override
    int stateVersion() {
        return STATE_VERSION;
    }

    @Override
    void writeModel(ObjectNode s) {
        s.set("variances", StateJson.doubles(variances));
    }

    @Override
    void readModel(JsonNode state) {
        System.arraycopy(StateJson.doubles(state, "variances", n), 0, variances, 0, n);
    }

    /** The search {@link #state()} was taken from, continuing exactly where it stood. */
    public static SepCmaEs restore(JsonNode state) {
        return restore(state, KIND, STATE_VERSION, SepCmaEs::new);
    }
}
