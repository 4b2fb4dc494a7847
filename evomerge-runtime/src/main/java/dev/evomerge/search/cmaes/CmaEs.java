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
public final class CmaEs implements Optimizer {

    /** The {@link #kind()} written in the state. */
    public static final String KIND = "cmaes";
    private static final int STATE_VERSION = 1;

    private final CmaEsSettings settings;
    private final CmaEsParameters p;
    private final BoxTransform box;
    private final Xoshiro256 random;
    private final int n;

    private long generation;
    private long evaluations;
    private double[] mean;                 // [n], internal (unbounded) coordinates
    private double sigma;
    private final double[] pathC;          // [n]
    private final double[] pathSigma;      // [n]
    private final double[][] covariance;   // [n][n], symmetric
    private double[][] eigenvectors;       // [n][n], columns are C's eigenvectors as of eigenGeneration
    private double[] eigenRoots;           // [n], square roots of C's eigenvalues as of eigenGeneration
    private long eigenGeneration;
    private final List<Double> recentBestCosts = new ArrayList<>();
    private double[][] pending;            // [lambda][n] standard normal samples of the asked generation, or null
    private Solution best;
    private String termination;

    private CmaEs(CmaEsSettings settings, Xoshiro256 random) {
        this.settings = settings;
        this.n = settings.dimension();
        this.p = CmaEsParameters.of(n, settings.populationSize(), settings.activeCovariance());
        this.box = new BoxTransform(settings.bounds());
        this.random = random;
        this.pathC = new double[n];
        this.pathSigma = new double[n];
        this.covariance = new double[n][n];
    }

    /** A new search at generation 0, drawing every random number from {@code random} (which it now owns). */
    public static CmaEs start(CmaEsSettings settings, Xoshiro256 random) {
        CmaEs cma = new CmaEs(settings, random);
        cma.mean = cma.box.toInternal(settings.x0());
        cma.sigma = settings.sigma0();
        cma.eigenvectors = new double[cma.n][cma.n];
        cma.eigenRoots = new double[cma.n];
        for (int i = 0; i < cma.n; i++) {
            cma.covariance[i][i] = 1.0;
            cma.eigenvectors[i][i] = 1.0;
            cma.eigenRoots[i] = 1.0;
        }
        return cma;
    }

    /** The settings this search was started with. */
    public CmaEsSettings settings() {
        return settings;
    }

    /** The strategy constants in use. */
    public CmaEsParameters parameters() {
        return p;
    }

    /** The current step size. */
    public double sigma() {
        return sigma;
    }

    /** The distribution's mean mapped into the bounds: the search's current favourite genome. */
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
            genomes.add(box.toBounded(internalPoint(step(z))));
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
        updateBest(y, scores, costs);

        Integer[] order = rank(costs);
        if (costs[order[0]] != Double.POSITIVE_INFINITY) {
            update(order, z, y);
            recordCosts(costs[order[0]]);
        }
        generation++;
        pending = null;
        if (generation - eigenGeneration >= p.eigenInterval()) {
            decompose();
        }
        termination = checkTermination(costs).orElse(null);
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

    /** {@code y = B D z}: a step in internal coordinates, before scaling by sigma. */
    private double[] step(double[] z) {
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

    private double[] internalPoint(double[] y) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = mean[i] + sigma * y[i];
        }
        return x;
    }

    /** Candidate indices by cost, best first; ties keep the asked order. */
    private static Integer[] rank(double[] costs) {
        Integer[] order = new Integer[costs.length];
        for (int k = 0; k < order.length; k++) {
            order[k] = k;
        }
        java.util.Arrays.sort(order, (a, b) -> Double.compare(costs[a], costs[b]));
        return order;
    }

    /** One generation's update of mean, paths, step size and covariance (tutorial, equations (39)-(47)). */
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

        // C^{-1/2} y_w = B z_w, since y = B D z with the same B and D.
        double csFactor = Math.sqrt(p.cs() * (2.0 - p.cs()) * p.mueff());
        double psNorm2 = 0.0;
        for (int i = 0; i < n; i++) {
            double s = 0.0;
            for (int j = 0; j < n; j++) {
                s += eigenvectors[i][j] * zw[j];
            }
            pathSigma[i] = (1.0 - p.cs()) * pathSigma[i] + csFactor * s;
            psNorm2 += pathSigma[i] * pathSigma[i];
        }
        double psNorm = Math.sqrt(psNorm2);
        double correction = Math.sqrt(1.0 - StrictMath.pow(1.0 - p.cs(), 2.0 * (generation + 1)));
        boolean hsig = psNorm / correction < (1.4 + 2.0 / (n + 1.0)) * p.chiN();

        double ccFactor = hsig ? Math.sqrt(p.cc() * (2.0 - p.cc()) * p.mueff()) : 0.0;
        for (int i = 0; i < n; i++) {
            pathC[i] = (1.0 - p.cc()) * pathC[i] + ccFactor * yw[i];
        }

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

        // pycma caps the change of log(sigma) per generation at 1.
        double exponent = Math.min(1.0, (p.cs() / p.damps()) * (psNorm / p.chiN() - 1.0));
        sigma *= StrictMath.exp(exponent);
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

    private void recordCosts(double bestCost) {
        recentBestCosts.add(bestCost);
        int keep = historyLength();
        while (recentBestCosts.size() > keep) {
            recentBestCosts.removeFirst();
        }
    }

    private int historyLength() {
        return 10 + (int) Math.ceil(30.0 * n / p.lambda());
    }

    private Optional<String> checkTermination(double[] costs) {
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
                return Optional.of("tolfun");
            }
        }
        boolean tolX = true;
        for (int i = 0; i < n && tolX; i++) {
            double spread = sigma * Math.max(Math.abs(pathC[i]), Math.sqrt(covariance[i][i]));
            tolX = spread < tol.tolX() * settings.sigma0();
        }
        if (tolX) {
            return Optional.of("tolx");
        }
        double maxRoot = 0.0;
        double minRoot = Double.POSITIVE_INFINITY;
        for (double d : eigenRoots) {
            maxRoot = Math.max(maxRoot, d);
            minRoot = Math.min(minRoot, d);
        }
        if (sigma / settings.sigma0() > tol.tolUpSigma() * maxRoot) {
            return Optional.of("tolupsigma");
        }
        if (maxRoot * maxRoot > tol.maxCondition() * minRoot * minRoot) {
            return Optional.of("conditioncov");
        }
        int axis = (int) (generation % n);
        boolean noEffectAxis = true;
        for (int i = 0; i < n && noEffectAxis; i++) {
            double shift = 0.1 * sigma * eigenRoots[axis] * eigenvectors[i][axis];
            noEffectAxis = mean[i] + shift == mean[i];
        }
        if (noEffectAxis) {
            return Optional.of("noeffectaxis");
        }
        for (int i = 0; i < n; i++) {
            if (mean[i] + 0.2 * sigma * Math.sqrt(covariance[i][i]) == mean[i]) {
                return Optional.of("noeffectcoord");
            }
        }
        return Optional.empty();
    }

    private void updateBest(double[][] y, List<double[]> scores, double[] costs) {
        Direction direction = settings.direction();
        for (int k = 0; k < costs.length; k++) {
            double bestCost = best == null ? Double.POSITIVE_INFINITY : direction.toCost(best.fitness());
            if (costs[k] < bestCost) {
                double[] genome = box.toBounded(internalPoint(y[k]));
                best = new Solution(genome, new double[] {direction.sanitize(scores.get(k)[0])}, generation);
            }
        }
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
        ObjectNode s = StateJson.header(KIND, STATE_VERSION);
        s.set("settings", settingsJson(settings));
        s.set("random", StateJson.longs(random.state()));
        s.put("generation", generation);
        s.put("evaluations", evaluations);
        s.set("mean", StateJson.doubles(mean));
        s.set("sigma", StateJson.number(sigma));
        s.set("pathC", StateJson.doubles(pathC));
        s.set("pathSigma", StateJson.doubles(pathSigma));
        s.set("covariance", StateJson.matrix(covariance));
        s.set("eigenvectors", StateJson.matrix(eigenvectors));
        s.set("eigenRoots", StateJson.doubles(eigenRoots));
        s.put("eigenGeneration", eigenGeneration);
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
    public static CmaEs restore(JsonNode state) {
        StateJson.requireHeader(state, KIND, STATE_VERSION);
        CmaEsSettings settings = readSettings(StateJson.field(state, "settings"));
        int n = settings.dimension();
        CmaEs cma = new CmaEs(settings, Xoshiro256.ofState(StateJson.longs(state, "random", 4)));
        cma.generation = StateJson.longValue(state, "generation");
        cma.evaluations = StateJson.longValue(state, "evaluations");
        cma.mean = StateJson.doubles(state, "mean", n);
        cma.sigma = StateJson.doubleValue(state, "sigma");
        System.arraycopy(StateJson.doubles(state, "pathC", n), 0, cma.pathC, 0, n);
        System.arraycopy(StateJson.doubles(state, "pathSigma", n), 0, cma.pathSigma, 0, n);
        double[][] c = StateJson.matrix(state, "covariance", n, n);
        for (int i = 0; i < n; i++) {
            System.arraycopy(c[i], 0, cma.covariance[i], 0, n);
        }
        cma.eigenvectors = StateJson.matrix(state, "eigenvectors", n, n);
        cma.eigenRoots = StateJson.doubles(state, "eigenRoots", n);
        cma.eigenGeneration = StateJson.longValue(state, "eigenGeneration");
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

    static ObjectNode settingsJson(CmaEsSettings s) {
        ObjectNode node = StateJson.object();
        node.set("x0", StateJson.doubles(s.x0()));
        node.set("sigma0", StateJson.number(s.sigma0()));
        node.put("populationSize", s.populationSize());
        node.set("bounds", StateJson.bounds(s.bounds()));
        node.put("direction", s.direction().key());
        node.put("activeCovariance", s.activeCovariance());
        ObjectNode tol = StateJson.object();
        tol.set("tolFun", StateJson.number(s.tolerances().tolFun()));
        tol.set("tolX", StateJson.number(s.tolerances().tolX()));
        tol.set("tolUpSigma", StateJson.number(s.tolerances().tolUpSigma()));
        tol.set("maxCondition", StateJson.number(s.tolerances().maxCondition()));
        node.set("tolerances", tol);
        return node;
    }

    static CmaEsSettings readSettings(JsonNode node) {
        JsonNode tol = StateJson.field(node, "tolerances");
        try {
            return new CmaEsSettings(StateJson.doubles(node, "x0", -1), StateJson.doubleValue(node, "sigma0"),
                    StateJson.integer(node, "populationSize"), StateJson.bounds(node, "bounds"),
                    Direction.ofKey(StateJson.text(node, "direction")), StateJson.bool(node, "activeCovariance"),
                    new CmaEsTolerances(StateJson.doubleValue(tol, "tolFun"), StateJson.doubleValue(tol, "tolX"),
                            StateJson.doubleValue(tol, "tolUpSigma"), StateJson.doubleValue(tol, "maxCondition")));
        } catch (IllegalArgumentException e) {
            throw StateJson.damaged("the CMA-ES settings in the state are invalid: " + e.getMessage());
        }
    }
}
