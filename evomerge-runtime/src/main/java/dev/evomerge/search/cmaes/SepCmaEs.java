package dev.evomerge.search.cmaes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.evomerge.search.Direction;
import dev.evomerge.search.Optimizer;
import dev.evomerge.search.Solution;
import dev.evomerge.search.StateJson;
import dev.evomerge.search.Xoshiro256;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Separable CMA-ES (Ros and Hansen, "A Simple Modification in CMA-ES Achieving Linear Time and Space Complexity",
 * PPSN 2008): {@link CmaEs} with a diagonal covariance matrix. Sampling, recombination, both paths and the step-size
 * control are CMA-ES' with C = diag(c), so no eigendecomposition is needed and a generation costs O(λ·n) time and
 * O(n) memory besides the samples; the learning rates of the covariance are raised by (n + 2) / 3, since only n
 * numbers are learned instead of n(n + 1)/2. Positive recombination weights only. For the thousands of genes of a
 * paper-scale data-flow search, where a full n x n matrix costs hundreds of megabytes and adapts too slowly to matter
 * within the budget. Box bounds as {@link CmaEs} handles them ({@link BoxTransform}); the settings are
 * {@link CmaEsSettings} ({@code activeCovariance} is ignored). The state holds everything, so {@link #restore}
 * continues bit for bit.
 *
 * <p>Not thread-safe.
 */
public final class SepCmaEs implements Optimizer {

    /** The {@link #kind()} written in the state. */
    public static final String KIND = "sep-cmaes";
    private static final int STATE_VERSION = 1;

    private final CmaEsSettings settings;
    private final CmaEsParameters p;
    private final double c1;
    private final double cmu;
    private final BoxTransform box;
    private final Xoshiro256 random;
    private final int n;

    private long generation;
    private long evaluations;
    private double[] mean;                       // internal coordinates
    private double sigma;
    private final double[] pathC;
    private final double[] pathSigma;
    private final double[] variances;            // C's diagonal
    private final List<Double> recentBestCosts = new ArrayList<>();
    private double[][] pending;                  // [lambda][n] standard normal samples, or null
    private Solution best;
    private String termination;

    private SepCmaEs(CmaEsSettings settings, Xoshiro256 random) {
        this.settings = settings;
        this.n = settings.dimension();
        this.p = CmaEsParameters.of(n, settings.populationSize(), false);
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
        this.box = new BoxTransform(settings.bounds());
        this.random = random;
        this.pathC = new double[n];
        this.pathSigma = new double[n];
        this.variances = new double[n];
    }

    /** A new search at generation 0, drawing every random number from {@code random} (which it now owns). */
    public static SepCmaEs start(CmaEsSettings settings, Xoshiro256 random) {
        SepCmaEs cma = new SepCmaEs(settings, random);
        cma.mean = cma.box.toInternal(settings.x0());
        cma.sigma = settings.sigma0();
        java.util.Arrays.fill(cma.variances, 1.0);
        return cma;
    }

    public CmaEsSettings settings() {
        return settings;
    }

    /** The step size. */
    public double sigma() {
        return sigma;
    }

    /** The distribution's mean mapped into the bounds. */
    public double[] mean() {
        return box.toBounded(mean);
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public int dimension() {
        return n;
    }

    @Override
    public List<Direction> directions() {
        return List.of(settings.direction());
    }

    @Override
    public long generation() {
        return generation;
    }

    @Override
    public long evaluations() {
        return evaluations;
    }

    @Override
    public List<double[]> ask() {
        if (pending == null) {
            double[][] z = new double[p.lambda()][n];
            for (double[] row : z) {
                for (int i = 0; i < n; i++) {
                    row[i] = random.nextGaussian();
                }
            }
            pending = z;
        }
        List<double[]> genomes = new ArrayList<>(p.lambda());
        for (double[] z : pending) {
            genomes.add(box.toBounded(point(step(z))));
        }
        return genomes;
    }

    @Override
    public void tell(List<double[]> scores) {
        if (pending == null) {
            throw new IllegalStateException("tell() without ask(): generation " + generation + " was not asked");
        }
        if (scores.size() != p.lambda()) {
            throw new IllegalArgumentException("expected " + p.lambda() + " scores, got " + scores.size());
        }
        Direction direction = settings.direction();
        double[] costs = new double[p.lambda()];
        for (int k = 0; k < costs.length; k++) {
            double[] s = scores.get(k);
            if (s.length != 1) {
                throw new IllegalArgumentException("CMA-ES has one objective, score " + k + " has " + s.length);
            }
            costs[k] = direction.toCost(s[0]);
        }
        double[][] z = pending;
        double[][] y = new double[z.length][];
        for (int k = 0; k < z.length; k++) {
            y[k] = step(z[k]);
        }
        evaluations += costs.length;
        for (int k = 0; k < costs.length; k++) {
            double bestCost = best == null ? Double.POSITIVE_INFINITY : direction.toCost(best.fitness());
            if (costs[k] < bestCost) {
                best = new Solution(box.toBounded(point(y[k])),
                        new double[] {direction.sanitize(scores.get(k)[0])}, generation);
            }
        }
        Integer[] order = new Integer[costs.length];
        for (int k = 0; k < order.length; k++) {
            order[k] = k;
        }
        java.util.Arrays.sort(order, (a, b) -> Double.compare(costs[a], costs[b]));
        if (costs[order[0]] != Double.POSITIVE_INFINITY) {
            update(order, z, y);
            recentBestCosts.add(costs[order[0]]);
            while (recentBestCosts.size() > historyLength()) {
                recentBestCosts.removeFirst();
            }
        }
        generation++;
        pending = null;
        termination = checkTermination(costs);
    }

    private double[] step(double[] z) {
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            y[i] = Math.sqrt(variances[i]) * z[i];
        }
        return y;
    }

    private double[] point(double[] y) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = mean[i] + sigma * y[i];
        }
        return x;
    }

    private void update(Integer[] order, double[][] z, double[][] y) {
        int mu = p.mu();
        double[] yw = new double[n];
        double[] zw = new double[n];
        for (int r = 0; r < mu; r++) {
            double w = p.weight(r);
            double[] yr = y[order[r]];
            double[] zr = z[order[r]];
            for (int i = 0; i < n; i++) {
                yw[i] += w * yr[i];
                zw[i] += w * zr[i];
            }
        }
        for (int i = 0; i < n; i++) {
            mean[i] += sigma * yw[i];
        }
        double csFactor = Math.sqrt(p.cs() * (2.0 - p.cs()) * p.mueff());
        double psNorm2 = 0.0;
        for (int i = 0; i < n; i++) {
            pathSigma[i] = (1.0 - p.cs()) * pathSigma[i] + csFactor * zw[i];
            psNorm2 += pathSigma[i] * pathSigma[i];
        }
        double psNorm = Math.sqrt(psNorm2);
        double correction = Math.sqrt(1.0 - StrictMath.pow(1.0 - p.cs(), 2.0 * (generation + 1)));
        boolean hsig = psNorm / correction < (1.4 + 2.0 / (n + 1.0)) * p.chiN();
        double ccFactor = hsig ? Math.sqrt(p.cc() * (2.0 - p.cc()) * p.mueff()) : 0.0;
        for (int i = 0; i < n; i++) {
            pathC[i] = (1.0 - p.cc()) * pathC[i] + ccFactor * yw[i];
        }
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
        double exponent = Math.min(1.0, (p.cs() / p.damps()) * (psNorm / p.chiN() - 1.0));
        sigma *= StrictMath.exp(exponent);
    }

    private int historyLength() {
        return 10 + (int) Math.ceil(30.0 * n / p.lambda());
    }

    /** tolfun and tolx as {@link CmaEs} checks them, and tolupsigma and conditioncov on the diagonal. */
    private String checkTermination(double[] costs) {
        CmaEsTolerances tol = settings.tolerances();
        if (recentBestCosts.size() >= historyLength()) {
            double lo = Double.POSITIVE_INFINITY;
            double hi = Double.NEGATIVE_INFINITY;
            for (double c : recentBestCosts) {
                lo = Math.min(lo, c);
                hi = Math.max(hi, c);
            }
            for (double c : costs) {
                lo = Math.min(lo, c);
                hi = Math.max(hi, c);
            }
            if (hi - lo < tol.tolFun()) {
                return "tolfun";
            }
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
    public Optional<Solution> best() {
        return Optional.ofNullable(best);
    }

    @Override
    public List<Solution> paretoFront() {
        return best == null ? List.of() : List.of(best);
    }

    @Override
    public Optional<String> termination() {
        return Optional.ofNullable(termination);
    }

    /**
     * The state: {@code optimizer} ("sep-cmaes"), {@code version} (1), {@code settings} (as {@link CmaEs} writes
     * them), {@code random}, {@code generation}, {@code evaluations}, {@code mean} (internal coordinates),
     * {@code sigma}, {@code pathC}, {@code pathSigma}, {@code variances} (C's diagonal), {@code recentBestCosts},
     * {@code pending} (lambda x n, or null), {@code best} and {@code termination} (or null).
     */
    @Override
    public ObjectNode state() {
        ObjectNode s = StateJson.header(KIND, STATE_VERSION);
        s.set("settings", CmaEs.settingsJson(settings));
        s.set("random", StateJson.longs(random.state()));
        s.put("generation", generation);
        s.put("evaluations", evaluations);
        s.set("mean", StateJson.doubles(mean));
        s.set("sigma", StateJson.number(sigma));
        s.set("pathC", StateJson.doubles(pathC));
        s.set("pathSigma", StateJson.doubles(pathSigma));
        s.set("variances", StateJson.doubles(variances));
        ArrayNode history = StateJson.array();
        for (double c : recentBestCosts) {
            history.add(StateJson.number(c));
        }
        s.set("recentBestCosts", history);
        s.set("pending", pending == null ? null : StateJson.matrix(pending));
        s.set("best", best == null ? null : StateJson.solution(best));
        if (termination == null) {
            s.putNull("termination");
        } else {
            s.put("termination", termination);
        }
        return s;
    }

    /** The search {@link #state()} was taken from, continuing exactly where it stood. */
    public static SepCmaEs restore(JsonNode state) {
        StateJson.requireHeader(state, KIND, STATE_VERSION);
        CmaEsSettings settings = CmaEs.readSettings(StateJson.field(state, "settings"));
        int n = settings.dimension();
        SepCmaEs cma = new SepCmaEs(settings, Xoshiro256.ofState(StateJson.longs(state, "random", 4)));
        cma.generation = StateJson.longValue(state, "generation");
        cma.evaluations = StateJson.longValue(state, "evaluations");
        cma.mean = StateJson.doubles(state, "mean", n);
        cma.sigma = StateJson.doubleValue(state, "sigma");
        System.arraycopy(StateJson.doubles(state, "pathC", n), 0, cma.pathC, 0, n);
        System.arraycopy(StateJson.doubles(state, "pathSigma", n), 0, cma.pathSigma, 0, n);
        System.arraycopy(StateJson.doubles(state, "variances", n), 0, cma.variances, 0, n);
        for (double v : StateJson.doubles(state, "recentBestCosts", -1)) {
            cma.recentBestCosts.add(v);
        }
        if (StateJson.has(state, "pending")) {
            cma.pending = StateJson.matrix(state, "pending", settings.populationSize(), n);
        }
        if (StateJson.has(state, "best")) {
            cma.best = StateJson.solution(state, "best", n, 1);
        }
        if (StateJson.has(state, "termination")) {
            cma.termination = StateJson.text(state, "termination");
        }
        return cma;
    }
}
