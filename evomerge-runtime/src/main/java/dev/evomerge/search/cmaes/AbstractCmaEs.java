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
import java.util.function.BiFunction;

/**
 * What {@link CmaEs} and {@link SepCmaEs} share: the settings, the random generator, the mean, step size and both
 * paths, the asked generation's standard normal samples, ask and tell with the ranking of the costs, weighted
 * recombination, cumulative step-size adaptation, the best solution, the tolfun check and the common part of the
 * state. A subclass holds the covariance model: how samples become steps ({@link #steps}), how a recombined
 * sample is whitened for the sigma path ({@link #whitened}), the covariance update, its own termination criteria and
 * its fields in the state.
 */
abstract sealed class AbstractCmaEs implements Optimizer permits CmaEs, SepCmaEs {

    final CmaEsSettings settings;
    final CmaEsParameters p;
    final BoxTransform box;
    final Xoshiro256 random;
    final int n;

    long generation;
    long evaluations;
    double[] mean;                         // [n], internal (unbounded) coordinates
    double sigma;
    final double[] pathC;                  // [n]
    final double[] pathSigma;              // [n]
    private final List<Double> recentBestCosts = new ArrayList<>();
    private double[][] pending;            // [lambda][n] standard normal samples of the asked generation, or null
    private double[][] pendingSteps;       // [lambda][n] their steps, once computed (not in the state)
    private Solution best;
    private String termination;

    AbstractCmaEs(CmaEsSettings settings, Xoshiro256 random, boolean activeCovariance) {
        this.settings = settings;
        this.n = settings.dimension();
        this.p = CmaEsParameters.of(n, settings.populationSize(), activeCovariance);
        this.box = new BoxTransform(settings.bounds());
        this.random = random;
        this.pathC = new double[n];
        this.pathSigma = new double[n];
    }

    /** Puts the mean at the settings' x0 and the step size at their sigma0, as generation 0 starts. */
    final void begin() {
        mean = box.toInternal(settings.x0());
        sigma = settings.sigma0();
    }

    /** The settings this search was started with. */
    public final CmaEsSettings settings() {
        return settings;
    }

    /** The current step size. */
    public final double sigma() {
        return sigma;
    }

    /** The distribution's mean mapped into the bounds: the search's current favourite genome. */
    public final double[] mean() {
        return box.toBounded(mean);
    }

    @Override
    public final int dimension() {
        return n;
    }

    @Override
    public final List<Direction> directions() {
        return List.of(settings.direction());
    }

    @Override
    public final long generation() {
        return generation;
    }

    @Override
    public final long evaluations() {
        return evaluations;
    }

    @Override
    public final List<double[]> ask() {
        if (pending == null) {
            double[][] z = new double[p.lambda()][n];
            for (double[] row : z) {
                for (int i = 0; i < n; i++) {
                    row[i] = random.nextGaussian();
                }
            }
            pending = z;
            pendingSteps = null;
        }
        List<double[]> genomes = new ArrayList<>(p.lambda());
        for (double[] y : pendingSteps()) {
            genomes.add(box.toBounded(internalPoint(y)));
        }
        return genomes;
    }

    @Override
    public final void tell(List<double[]> scores) {
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
        double[][] y = pendingSteps();
        evaluations += costs.length;
        updateBest(y, scores, costs);

        Integer[] order = rank(costs);
        if (costs[order[0]] != Double.POSITIVE_INFINITY) {
            update(order, z, y);
            recordCosts(costs[order[0]]);
        }
        generation++;
        pending = null;
        pendingSteps = null;
        afterGeneration();
        termination = checkTermination(costs);
    }

    @Override
    public final Optional<Solution> best() {
        return Optional.ofNullable(best);
    }

    @Override
    public final List<Solution> paretoFront() {
        return best == null ? List.of() : List.of(best);
    }

    @Override
    public final Optional<String> termination() {
        return Optional.ofNullable(termination);
    }

    /** The steps of the asked generation's samples, computed once per generation (the model does not change). */
    private double[][] pendingSteps() {
        if (pendingSteps == null) {
            pendingSteps = steps(pending);
        }
        return pendingSteps;
    }

    /**
     * The steps in internal coordinates, before scaling by sigma, that the standard normal samples {@code z} (one
     * per row) make; a new array.
     */
    abstract double[][] steps(double[][] z);

    /** Each row of {@code z} multiplied component by component with {@code factors}; a new array. */
    static double[][] scaled(double[] factors, double[][] z) {
        double[][] out = new double[z.length][factors.length];
        for (int k = 0; k < z.length; k++) {
            for (int i = 0; i < factors.length; i++) {
                out[k][i] = factors[i] * z[k][i];
            }
        }
        return out;
    }

    /** {@code C^{-1/2} y_w} for the recombined sample {@code zw} whose step is {@code y_w}. */
    abstract double[] whitened(double[] zw);

    /**
     * The covariance update of a generation, after the paths and before the step size: {@code order} ranks the
     * candidates best first, {@code z} and {@code y} are their samples and steps.
     */
    abstract void updateCovariance(Integer[] order, double[][] z, double[][] y, boolean hsig);

    /** What is due once the generation counter moved on; nothing by default. */
    void afterGeneration() {
    }

    /** The termination criterion met after a generation with these costs, or null. */
    abstract String checkTermination(double[] costs);

    /** The variant's own fields of the state, written between the paths and the recent best costs. */
    abstract void writeModel(ObjectNode state);

    /** Reads what {@link #writeModel} wrote. */
    abstract void readModel(JsonNode state);

    final double[] internalPoint(double[] y) {
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

    /** One generation's update of mean, paths, covariance and step size (tutorial, equations (39)-(47)). */
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

        double[] white = whitened(zw);
        double csFactor = Math.sqrt(p.cs() * (2.0 - p.cs()) * p.mueff());
        double psNorm2 = 0.0;
        for (int i = 0; i < n; i++) {
            pathSigma[i] = (1.0 - p.cs()) * pathSigma[i] + csFactor * white[i];
            psNorm2 += pathSigma[i] * pathSigma[i];
        }
        double psNorm = Math.sqrt(psNorm2);
        double correction = Math.sqrt(1.0 - StrictMath.pow(1.0 - p.cs(), 2.0 * (generation + 1)));
        boolean hsig = psNorm / correction < (1.4 + 2.0 / (n + 1.0)) * p.chiN();

        double ccFactor = hsig ? Math.sqrt(p.cc() * (2.0 - p.cc()) * p.mueff()) : 0.0;
        for (int i = 0; i < n; i++) {
            pathC[i] = (1.0 - p.cc()) * pathC[i] + ccFactor * yw[i];
        }

        updateCovariance(order, z, y, hsig);

        // pycma caps the change of log(sigma) per generation at 1.
        double exponent = Math.min(1.0, (p.cs() / p.damps()) * (psNorm / p.chiN() - 1.0));
        sigma *= StrictMath.exp(exponent);
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

    /**
     * Whether the best costs of the recent generations and all of this one's lie within tolFun of each other, once
     * the history is full.
     */
    final boolean tolFunReached(double[] costs) {
        if (recentBestCosts.size() < historyLength()) {
            return false;
        }
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
        return hi - lo < settings.tolerances().tolFun();
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
     * The state: {@code optimizer} ({@link #kind()}), {@code version}, {@code settings} ({@code x0},
     * {@code sigma0}, {@code populationSize}, {@code bounds} {lower, upper}, {@code direction},
     * {@code activeCovariance}, {@code tolerances}), {@code random} (4 longs), {@code generation},
     * {@code evaluations}, {@code mean} (internal coordinates), {@code sigma}, {@code pathC}, {@code pathSigma}, the
     * covariance model's fields (see the variant's class documentation), {@code recentBestCosts}, {@code pending}
     * (the asked generation's standard normal samples, lambda x n, or null), {@code best} ({genome, score,
     * generation} or null) and {@code termination} (or null). The variant's {@code restore} continues from it bit for
     * bit.
     */
    @Override
    public final ObjectNode state() {
        ObjectNode s = StateJson.header(kind(), stateVersion());
        s.set("settings", settingsJson(settings));
        s.set("random", StateJson.longs(random.state()));
        s.put("generation", generation);
        s.put("evaluations", evaluations);
        s.set("mean", StateJson.doubles(mean));
        s.set("sigma", StateJson.number(sigma));
        s.set("pathC", StateJson.doubles(pathC));
        s.set("pathSigma", StateJson.doubles(pathSigma));
        writeModel(s);
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

    /** The version of the state format this variant writes and reads. */
    abstract int stateVersion();

    /**
     * The search of {@code kind} whose {@link #state()} is {@code state}: checks the header against the variant's
     * kind and version, constructs the variant from the state's settings and random generator, then sets the rest.
     */
    static <T extends AbstractCmaEs> T restore(JsonNode state, String kind, int version,
            BiFunction<CmaEsSettings, Xoshiro256, T> construct) {
        StateJson.requireHeader(state, kind, version);
        CmaEsSettings settings = readSettings(StateJson.field(state, "settings"));
        T cma = construct.apply(settings, Xoshiro256.ofState(StateJson.longs(state, "random", 4)));
        ((AbstractCmaEs) cma).restoreFrom(state);
        return cma;
    }

    /** Sets this search, just constructed from the state's settings and random generator, to the rest of it. */
    private void restoreFrom(JsonNode state) {
        generation = StateJson.longValue(state, "generation");
        evaluations = StateJson.longValue(state, "evaluations");
        mean = StateJson.doubles(state, "mean", n);
        sigma = StateJson.doubleValue(state, "sigma");
        System.arraycopy(StateJson.doubles(state, "pathC", n), 0, pathC, 0, n);
        System.arraycopy(StateJson.doubles(state, "pathSigma", n), 0, pathSigma, 0, n);
        readModel(state);
        for (double v : StateJson.doubles(state, "recentBestCosts", -1)) {
            recentBestCosts.add(v);
        }
        if (StateJson.has(state, "pending")) {
            pending = StateJson.matrix(state, "pending", settings.populationSize(), n);
        }
        if (StateJson.has(state, "best")) {
            best = StateJson.solution(state, "best", n, 1);
        }
        if (StateJson.has(state, "termination")) {
            termination = StateJson.text(state, "termination");
        }
    }

    private static ObjectNode settingsJson(CmaEsSettings s) {
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

    private static CmaEsSettings readSettings(JsonNode node) {
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
