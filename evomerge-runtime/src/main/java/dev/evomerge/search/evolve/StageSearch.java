package dev.evomerge.search.evolve;

import com.fasterxml.jackson.databind.JsonNode;
import dev.evomerge.config.ByteSizes;
import dev.evomerge.diag.ConfigException;
import dev.evomerge.diag.EvomergeException;
import dev.evomerge.diag.RunException;
import dev.evomerge.eval.BatchEvaluator;
import dev.evomerge.eval.Candidate;
import dev.evomerge.eval.EvaluationOutcome;
import dev.evomerge.eval.Evaluator;
import dev.evomerge.eval.fitness.Scores;
import dev.evomerge.eval.harness.TaskRun;
import dev.evomerge.event.EventListener;
import dev.evomerge.search.Direction;
import dev.evomerge.search.Optimizer;
import dev.evomerge.search.SearchStatus;
import dev.evomerge.search.StopCondition;
import dev.evomerge.search.StopConditions;
import dev.evomerge.search.Xoshiro256;
import dev.evomerge.search.cmaes.CmaEs;
import dev.evomerge.search.cmaes.CmaEsSettings;
import dev.evomerge.search.cmaes.SepCmaEs;
import dev.evomerge.search.ga.GeneticSearch;
import dev.evomerge.search.ga.GeneticSettings;
import dev.evomerge.search.ga.GenomeEncoding;
import dev.evomerge.search.nsga2.Nsga2Search;
import dev.evomerge.search.nsga2.Nsga2Settings;
import dev.evomerge.search.space.GenomeSpace;
import dev.evomerge.search.space.RecipeHash;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.ToIntFunction;

/**
 * One stage of an evolve run (parameter space or data-flow space): the generation loop over an optimizer, with a
 * checkpoint after every generation, and the choice of the stage's result on the validation split.
 *
 * <p>Each generation asks the optimizer for candidates, evaluates them in parallel on the generation's documents,
 * appends their records to the history, tells the optimizer, and writes the checkpoint. A candidate that cannot be
 * built or evaluated, or whose fitness is not a number, gets the worst fitness and its error in the history.
 */
final class StageSearch {

    /** How many of the best distinct search recipes are scored on the validation split (one objective). */
    static final int VALIDATION_CANDIDATES = 3;

    /**
     * A stage's result: the chosen genome, every candidate scored on the validation split, and how the choice was
     * made ({@link #PER_GENERATION} or {@link #TOP_SEARCH}).
     */
    record Outcome(Finalist chosen, List<Finalist> finalists, long evaluations, String selection) {
    }

    /**
     * A candidate scored on the validation split.
     *
     * @param search its evaluation in the search; for CMA-ES' mean (which the search never evaluates), a record
     *     with candidate index {@value #MEAN_INDEX} and no scores
     */
    record Finalist(HistoryRecord search, Scores validation, double validationFitness) {

        /** {@code mean} for a snapshot of CMA-ES' mean, else {@code best} (the best candidate of its generation). */
        String snapshot() {
            return search.index() == MEAN_INDEX ? "mean" : "best";
        }
    }

    /** The candidate index of a snapshot of CMA-ES' mean. */
    static final int MEAN_INDEX = -1;

    /** {@link Outcome#selection()} with {@code search.subset}, one objective. */
    static final String PER_GENERATION = "per-generation validation: each generation's best candidate (and, for"
            + " CMA-ES, its mean) scored on the whole validation split; the highest validation fitness wins";

    /** {@link Outcome#selection()} otherwise. */
    static final String TOP_SEARCH = "the best distinct recipes by search fitness (every candidate scored on the"
            + " same search documents) scored on the whole validation split; the highest validation fitness wins";

    /** What the stages share. */
    record Context(EvolveConfig config, EvolveTasks tasks, History history, ExecutorService pool, MemoryGate memory,
            Function<List<TaskRun>, Evaluator> evaluators, java.nio.file.Path workDirectory, String fingerprint,
            GenerationAllowance allowance, EventListener events) {
    }

    /** How many more generations this invocation may run before it pauses (any stage). */
    static final class GenerationAllowance {
        private long left;

        GenerationAllowance(long generations) {
            this.left = generations;
        }

        /** Counts one generation; false when none is left. */
        boolean take() {
            if (left == 0) {
                return false;
            }
            left--;
            return true;
        }
    }

    /** Thrown when the invocation's generations are used up: the checkpoint stands, a later resume goes on. */
    static final class Paused extends RuntimeException {
        Paused() {
            super("paused", null, false, false);
        }
    }

    private final Context context;
    private final String stage;
    private final int stageIndex;
    private final GenomeSpace<?> space;
    private final CandidateSource source;
    private final List<Direction> directions;
    private final ToIntFunction<double[]> pathLength;
    private int population;   // candidates of the first asked generation
    /** this invocation's time split, from the start of {@link #run} */
    private StageTimes times;

    /**
     * @param pathLength the path length of a genome when it is an extra objective to minimise, else null
     */
    StageSearch(Context context, String stage, int stageIndex, GenomeSpace<?> space, CandidateSource source,
            ToIntFunction<double[]> pathLength) {
        this.context = context;
        this.stage = stage;
        this.stageIndex = stageIndex;
        this.space = space;
        this.source = source;
        this.pathLength = pathLength;
        List<Direction> d = new ArrayList<>();
        int objectives = context.tasks().multiObjective() ? context.tasks().objectives().size() : 1;
        for (int i = 0; i < objectives; i++) {
            d.add(Direction.MAXIMIZE);
        }
        if (pathLength != null) {
            d.add(Direction.MINIMIZE);
        }
        this.directions = List.copyOf(d);
    }

    /**
     * Runs the stage's search from {@code x0}, or on from a checkpoint of this stage, and chooses its result.
     *
     * @param resumed the checkpoint to continue from, when it is one of this stage
     * @param earlierEvaluations evaluations of earlier stages (kept in checkpoints)
     * @param psResult the parameter-space result's directory (kept in checkpoints)
     */
    Outcome run(double[] x0, Optional<Checkpoint> resumed, long earlierEvaluations, Optional<String> psResult) {
        Optimizer optimizer = resumed.flatMap(Checkpoint::optimizer).map(StageSearch::restore)
                .orElseGet(() -> start(x0));
        List<JsonNode> validated = new ArrayList<>(resumed.map(Checkpoint::validated).orElse(List.of()));
        long previousMillis = resumed.map(Checkpoint::stageMillis).orElse(0L);
        long startNanos = System.nanoTime();
        times = new StageTimes(context.config().evaluation().threads(), source.mergeNanos());
        population = optimizer instanceof GeneticSearch ga ? ga.settings().populationSize()
                : optimizer instanceof Nsga2Search nsga2 ? nsga2.settings().populationSize() : optimizer.ask().size();
        StopCondition stop = stopCondition(population);
        EventListener events = context.events();
        int threads = context.config().evaluation().threads();
        int fitting = context.memory().fitting(source.candidateBytes());
        if (fitting < threads) {
            events.lifecycle(String.format(java.util.Locale.ROOT, "%s candidates need about %s each: %d of %d"
                    + " evaluation threads fit in the memory budget of %s (evaluation.memory_budget)",
                    stage.toUpperCase(java.util.Locale.ROOT),
                    ByteSizes.human(source.candidateBytes(), "B"), fitting, threads,
                    ByteSizes.human(context.memory().budget(), "B")));
        }
        if (resumed.isEmpty()) {
            events.lifecycle(startLine(optimizer, population));
        } else {
            events.lifecycle(String.format(Locale.ROOT, "%s search resumed after generation %d (%d evaluations)",
                    label(), optimizer.generation(), optimizer.evaluations()));
        }
        while (true) {
            long millis = previousMillis + (System.nanoTime() - startNanos) / 1_000_000;
            Optional<String> reason = stop.check(SearchStatus.of(optimizer, Duration.ofMillis(millis)));
            if (reason.isPresent()) {
                events.lifecycle(label() + " search ends: " + reason.get());
                break;
            }
            if (!context.allowance().take()) {
                events.lifecycle(String.format(Locale.ROOT, "%s search paused after generation %d: resume to go on",
                        label(), optimizer.generation()));
                throw new Paused();
            }
            long askStart = System.nanoTime();
            List<double[]> asked = optimizer.ask();
            times.addOptimizer(System.nanoTime() - askStart);
            long generation = optimizer.generation();
            Evaluator evaluator = context.evaluators().apply(context.tasks().searchRuns(stageIndex,
                    keepsScoredMembers(optimizer) ? 0 : generation));
            List<HistoryRecord> records = evaluateAll(generation, asked, evaluator);
            context.history().append(records);
            long tellStart = System.nanoTime();
            optimizer.tell(records.stream().map(HistoryRecord::objectives).toList());
            times.addOptimizer(System.nanoTime() - tellStart);
            if (validatesPerGeneration()) {
                validated.addAll(validateGeneration(optimizer, records, generation, validated));
            }
            millis = previousMillis + (System.nanoTime() - startNanos) / 1_000_000;
            new Checkpoint(context.fingerprint(), stage, Optional.of(optimizer.state()), millis, earlierEvaluations,
                    context.history().size(), psResult, validated).write(context.workDirectory());
            events.lifecycle(progressLine(optimizer, records, millis) + "; "
                    + times.shares(source.mergeNanos()).line());
        }
        return choose(optimizer.evaluations(), validated);
    }

    /**
     * Whether the optimizer carries scored members into later generations (GA and NSGA-II survivors), whose scores
     * then compete with new ones: such a search scores every generation on the first generation's subset, so that
     * all the scores it compares come from the same documents. CMA-ES keeps no scores and draws a new subset each
     * generation.
     */
    private static boolean keepsScoredMembers(Optimizer optimizer) {
        return !(optimizer instanceof CmaEs || optimizer instanceof SepCmaEs);
    }

    /** With per-generation subsets, search scores of different generations are not comparable (one objective). */
    private boolean validatesPerGeneration() {
        return context.config().search().subset().isPresent() && !context.tasks().multiObjective()
                && pathLength == null;
    }

    /**
     * Scores the generation's best candidate and, for CMA-ES, the updated mean on the validation split, each recipe
     * once per stage.
     *
     * @return the new snapshots as stored in the checkpoint
     */
    private List<JsonNode> validateGeneration(Optimizer optimizer, List<HistoryRecord> records, long generation,
            List<JsonNode> validated) {
        Set<String> seen = new HashSet<>();
        for (JsonNode v : validated) {
            seen.add(v.get("search").get("recipe").asText());
        }
        List<HistoryRecord> snapshots = new ArrayList<>();
        records.stream().filter(r -> !r.failed() && Double.isFinite(r.fitness()))
                .max(Comparator.comparingDouble(HistoryRecord::fitness).thenComparing(r -> -r.index()))
                .ifPresent(snapshots::add);
        double[] mean = optimizer instanceof CmaEs cma ? cma.mean()
                : optimizer instanceof SepCmaEs sep ? sep.mean() : null;
        if (mean != null) {
            String recipe;
            try {
                recipe = RecipeHash.of(source.recipe(mean));
            } catch (RuntimeException e) {
                recipe = "invalid";
            }
            double[] none = new double[directions.size()];
            Arrays.fill(none, Double.NaN);
            snapshots.add(new HistoryRecord(stage, generation, MEAN_INDEX, mean, recipe, Optional.empty(), none,
                    Double.NaN, 0, Optional.empty()));
        }
        Evaluator validation = context.evaluators().apply(context.tasks().runs(EvolveTasks.Role.VALIDATION));
        List<JsonNode> out = new ArrayList<>();
        for (HistoryRecord r : snapshots) {
            if (!seen.add(r.recipe())) {
                continue;
            }
            String snapshot = r.index() == MEAN_INDEX ? "mean" : "best";
            Attempt o = scoreInTime(stage + "-validation-g" + generation + "-" + snapshot, r.genome(), validation);
            if (o.scores().isEmpty()) {
                context.events().warn(stage + " generation " + generation + " " + snapshot + " (recipe " + r.recipe()
                        + ") failed on the validation split: " + o.error().orElseThrow());
                continue;
            }
            var node = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
            node.put("snapshot", snapshot);
            node.set("search", History.node(r));
            node.set("validation", History.scores(o.scores().get()));
            History.putNumber(node, "validation_fitness", context.tasks().fitness().of(o.scores().get()));
            out.add(node);
        }
        return out;
    }

    /** What the stage runs with, and where each default comes from. */
    private String startLine(Optimizer optimizer, int population) {
        SearchSettings s = context.config().search();
        int n = space.dimension();
        String kind = optimizer.kind();
        if (optimizer instanceof CmaEs || optimizer instanceof SepCmaEs) {
            kind += s.cmaes().isPresent() ? " (search.cmaes)" : optimizer instanceof SepCmaEs
                    ? " (separable above " + SearchSettings.SEPARABLE_ABOVE + " genes; search.cmaes: full overrides)"
                    : " (full covariance up to " + SearchSettings.SEPARABLE_ABOVE + " genes)";
        }
        String pop = s.population().isPresent() ? " (search.population)"
                : optimizer instanceof CmaEs || optimizer instanceof SepCmaEs ? " (4 + floor(3 ln n))"
                : " (the optimizer's default)";
        SearchSettings.Budget b = budget(population);
        List<String> limits = new ArrayList<>();
        b.evaluations().ifPresent(e -> limits.add(e + " evaluations"));
        b.generations().ifPresent(g -> limits.add(g + " generations"));
        b.wallTime().ifPresent(t -> limits.add(t.toSeconds() + " s"));
        String budgetSource = s.budgetDefaulted() ? " (the larger of " + EvolveConfigReader.DEFAULT_EVALUATIONS
                + " evaluations and " + DEFAULT_GENERATIONS + " generations; search.budget overrides)"
                : " (search.budget)";
        return String.format(Locale.ROOT, "%s search: %d genes, %s, population %d%s, budget %s%s", label(), n, kind,
                population, pop, String.join(" or ", limits), budgetSource);
    }

    /** Where this stage's wall time went in this invocation's {@link #run}; empty before it ran. */
    Optional<StageTimes.Shares> timeShares() {
        return Optional.ofNullable(times).map(t -> t.shares(source.mergeNanos()));
    }

    private String label() {
        return stage.toUpperCase(Locale.ROOT);
    }

    private Optimizer start(double[] x0) {
        SearchSettings s = context.config().search();
        Xoshiro256 random = Xoshiro256.seeded(s.seed() + 0x9E3779B97F4A7C15L * stageIndex);
        OptimizerKind kind = s.optimizer();
        if (directions.size() > 1 && kind != OptimizerKind.NSGA2) {
            throw new ConfigException(s.locationOf("optimizer"), "the " + stage + " search has " + directions.size()
                    + " objectives, which " + kind.configName() + " cannot search", "use optimizer: nsga2");
        }
        if (directions.size() == 1 && kind == OptimizerKind.NSGA2) {
            kind = OptimizerKind.CMAES;
            context.events().lifecycle(label() + " search has one objective: it uses cmaes");
        }
        int[] indicators = space.indicatorGenes();
        GenomeEncoding encoding = indicators.length == 0 ? GenomeEncoding.reals(space.bounds())
                : new GenomeEncoding(space.bounds(), indicators);
        return switch (kind) {
            case CMAES -> {
                CmaEsSettings settings = CmaEsSettings.of(x0, s.sigma0()).withBounds(space.bounds())
                        .withDirection(Direction.MAXIMIZE);
                if (s.population().isPresent()) {
                    settings = settings.withPopulationSize(s.population().getAsInt());
                }
                yield s.separable(space.dimension()) ? SepCmaEs.start(settings, random)
                        : CmaEs.start(settings, random);
            }
            case GA -> {
                GeneticSettings settings = GeneticSettings.of(encoding).withDirection(Direction.MAXIMIZE)
                        .withInitial(List.of(x0));
                if (s.population().isPresent()) {
                    settings = settings.withPopulationSize(s.population().getAsInt());
                }
                yield GeneticSearch.start(settings, random);
            }
            case NSGA2 -> {
                Nsga2Settings settings = Nsga2Settings.of(encoding, directions).withInitial(List.of(x0));
                if (s.population().isPresent()) {
                    settings = settings.withPopulationSize(s.population().getAsInt());
                }
                yield Nsga2Search.start(settings, random);
            }
        };
    }

    private static Optimizer restore(JsonNode state) {
        String kind = state.path("optimizer").asText();
        return switch (kind) {
            case CmaEs.KIND -> CmaEs.restore(state);
            case SepCmaEs.KIND -> SepCmaEs.restore(state);
            case GeneticSearch.KIND -> GeneticSearch.restore(state);
            case Nsga2Search.KIND -> Nsga2Search.restore(state);
            default -> throw new RunException("the checkpoint holds an unknown optimizer '" + kind + "'",
                    "start the run again in a fresh work directory");
        };
    }

    /** Generations a stage runs at least when {@code search.budget} is left out. */
    static final int DEFAULT_GENERATIONS = 100;

    /**
     * The stage's budget: {@code search.budget}, or when it is left out {@value
     * EvolveConfigReader#DEFAULT_EVALUATIONS} evaluations or {@value #DEFAULT_GENERATIONS} generations of the
     * population, whichever is more (paper scale: 128 candidates for 100 generations).
     */
    private SearchSettings.Budget budget(int population) {
        SearchSettings s = context.config().search();
        if (!s.budgetDefaulted()) {
            return s.budget();
        }
        return new SearchSettings.Budget(java.util.OptionalLong.of(Math.max(s.budget().evaluations().orElse(0),
                (long) DEFAULT_GENERATIONS * population)), java.util.OptionalLong.empty(), Optional.empty());
    }

    private StopCondition stopCondition(int population) {
        SearchSettings.Budget budget = budget(population);
        StopCondition stop = StopConditions.optimizerTerminated();
        if (budget.evaluations().isPresent()) {
            stop = StopConditions.evaluations(budget.evaluations().getAsLong()).or(stop);
        }
        if (budget.generations().isPresent()) {
            stop = StopConditions.generations(budget.generations().getAsLong()).or(stop);
        }
        if (budget.wallTime().isPresent()) {
            stop = StopConditions.wallTime(budget.wallTime().get()).or(stop);
        }
        return stop;
    }

    private List<HistoryRecord> evaluateAll(long generation, List<double[]> genomes, Evaluator evaluator) {
        if (evaluator instanceof BatchEvaluator batch) {
            return evaluateBatch(generation, genomes, batch);
        }
        List<Future<HistoryRecord>> futures = new ArrayList<>(genomes.size());
        for (int i = 0; i < genomes.size(); i++) {
            int index = i;
            double[] genome = genomes.get(i);
            long bytes = source.candidateBytes();
            futures.add(context.pool().submit(() -> {
                context.memory().acquire(bytes);
                try {
                    return evaluate(generation, index, genome, evaluator);
                } finally {
                    context.memory().release(bytes);
                }
            }));
        }
        List<HistoryRecord> records = new ArrayList<>(genomes.size());
        for (Future<HistoryRecord> f : futures) {
            try {
                records.add(f.get());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RunException("the run was interrupted", "resume it with --resume");
            } catch (ExecutionException e) {
                throw new IllegalStateException("an evaluation thread failed", e.getCause());
            }
        }
        return records;
    }

    /** A generation handed to a batch evaluator at once (one cluster job array), its records in the asked order. */
    private List<HistoryRecord> evaluateBatch(long generation, List<double[]> genomes, BatchEvaluator batch) {
        List<CandidateSource.Prepared> prepared = new ArrayList<>();
        List<Candidate> candidates = new ArrayList<>();
        List<Integer> positions = new ArrayList<>();
        Attempt[] attempts = new Attempt[genomes.size()];
        double[] seconds = new double[genomes.size()];
        try {
            for (int i = 0; i < genomes.size(); i++) {
                try {
                    CandidateSource.Prepared p = source.prepare(stage + "-g" + generation + "-c" + i, genomes.get(i));
                    prepared.add(p);
                    candidates.add(p.candidate());
                    positions.add(i);
                } catch (RuntimeException e) {
                    attempts[i] = new Attempt(Optional.empty(), Optional.of(describe(e)));
                }
            }
            List<EvaluationOutcome> outcomes = candidates.isEmpty() ? List.of()
                    : batch.evaluateAll(stage + "-g" + generation, candidates);
            for (int k = 0; k < positions.size(); k++) {
                attempts[positions.get(k)] = attempt(outcomes.get(k));
                seconds[positions.get(k)] = outcomes.get(k).duration().toNanos() / 1e9;
            }
        } finally {
            prepared.forEach(CandidateSource.Prepared::close);
        }
        List<HistoryRecord> records = new ArrayList<>(genomes.size());
        for (int i = 0; i < genomes.size(); i++) {
            records.add(record(generation, i, genomes.get(i), attempts[i], seconds[i]));
        }
        return records;
    }

    private HistoryRecord evaluate(long generation, int index, double[] genome, Evaluator evaluator) {
        String name = stage + "-g" + generation + "-c" + index;
        long start = System.nanoTime();
        Attempt o = scoreInTime(name, genome, evaluator);
        return record(generation, index, genome, o, (System.nanoTime() - start) / 1e9);
    }

    private HistoryRecord record(long generation, int index, double[] genome, Attempt o, double seconds) {
        String recipe;
        try {
            recipe = RecipeHash.of(source.recipe(genome));
        } catch (RuntimeException e) {
            recipe = "invalid";
        }
        int objectives = directions.size();
        double[] vector = new double[objectives];
        if (o.error().isPresent()) {
            Arrays.fill(vector, Double.NaN);
            return new HistoryRecord(stage, generation, index, genome, recipe, Optional.empty(), vector,
                    Double.NEGATIVE_INFINITY, seconds, o.error());
        }
        Scores scores = o.scores().orElseThrow();
        double fitness = context.tasks().fitness().of(scores);
        if (context.tasks().multiObjective()) {
            double[] v = context.tasks().objectiveFitness().vector(scores);
            System.arraycopy(v, 0, vector, 0, v.length);
        } else {
            vector[0] = fitness;
        }
        if (pathLength != null) {
            vector[objectives - 1] = pathLength.applyAsInt(genome);
        }
        return new HistoryRecord(stage, generation, index, genome, recipe, Optional.of(scores), vector, fitness,
                seconds, Optional.empty());
    }

    /** Scores or the reason there are none. */
    record Attempt(Optional<Scores> scores, Optional<String> error) {
    }

    /**
     * {@link #score}, cancelled after {@code evaluation.timeout} when candidates run in this process (a command's
     * evaluator kills its own process at the timeout). The evaluation runs on a thread of its own, so the pool
     * thread waiting for it returns at the timeout whatever the evaluation does; the evaluation's thread is
     * interrupted, and its result, if it ever comes, is discarded.
     */
    Attempt scoreInTime(String name, double[] genome, Evaluator evaluator) {
        EvaluationSettings settings = context.config().evaluation();
        if (settings.mode() != EvaluationSettings.Mode.IN_PROCESS) {
            return score(name, genome, evaluator);
        }
        CompletableFuture<Attempt> result = new CompletableFuture<>();
        Thread worker = Thread.ofPlatform().daemon().name("evomerge-" + name).start(() -> {
            try {
                result.complete(score(name, genome, evaluator));
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        });
        try {
            return result.get(settings.timeout().toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            worker.interrupt();
            return new Attempt(Optional.empty(), Optional.of("timed out after " + asWritten(settings.timeout())
                    + " (evaluation.timeout); the evaluation was cancelled"));
        } catch (InterruptedException e) {
            worker.interrupt();
            Thread.currentThread().interrupt();
            throw new RunException("the run was interrupted", "resume it with --resume");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /** A duration as a config writes it: {@code 90s}, {@code 30m}, {@code 1h30m}. */
    private static String asWritten(Duration d) {
        long s = d.toSeconds();
        String text = (s >= 3600 ? s / 3600 + "h" : "") + (s % 3600 >= 60 ? s % 3600 / 60 + "m" : "")
                + (s % 60 != 0 ? s % 60 + "s" : "");
        return text.isEmpty() ? d.toMillis() + "ms" : text;
    }

    /** Builds and evaluates a candidate; never throws for the candidate's own failure. */
    Attempt score(String name, double[] genome, Evaluator evaluator) {
        EvaluationOutcome outcome;
        long start = System.nanoTime();
        try (CandidateSource.Prepared prepared = source.prepare(name, genome)) {
            long scoring = System.nanoTime();
            if (times != null) {
                times.addPrepare(scoring - start);
            }
            outcome = evaluator.evaluate(prepared.candidate());
            if (times != null) {
                times.addScore(System.nanoTime() - scoring);
            }
        } catch (RuntimeException | OutOfMemoryError e) {
            return new Attempt(Optional.empty(), Optional.of(describe(e)));
        }
        return attempt(outcome);
    }

    /** Builds and evaluates candidates, all at once when the evaluator takes batches, else one after another. */
    private List<Attempt> scoreAll(List<String> names, List<double[]> genomes, Evaluator evaluator) {
        if (!(evaluator instanceof BatchEvaluator batch) || names.size() < 2) {
            List<Attempt> out = new ArrayList<>();
            for (int i = 0; i < names.size(); i++) {
                out.add(scoreInTime(names.get(i), genomes.get(i), evaluator));
            }
            return out;
        }
        List<CandidateSource.Prepared> prepared = new ArrayList<>();
        Attempt[] out = new Attempt[names.size()];
        List<Integer> positions = new ArrayList<>();
        try {
            for (int i = 0; i < names.size(); i++) {
                try {
                    prepared.add(source.prepare(names.get(i), genomes.get(i)));
                    positions.add(i);
                } catch (RuntimeException e) {
                    out[i] = new Attempt(Optional.empty(), Optional.of(describe(e)));
                }
            }
            List<EvaluationOutcome> outcomes = prepared.isEmpty() ? List.of() : batch.evaluateAll(
                    stage + "-validation", prepared.stream().map(CandidateSource.Prepared::candidate).toList());
            for (int k = 0; k < positions.size(); k++) {
                out[positions.get(k)] = attempt(outcomes.get(k));
            }
        } finally {
            prepared.forEach(CandidateSource.Prepared::close);
        }
        return List.of(out);
    }

    /** An evaluation's outcome as scores, or the reason there are none. */
    private Attempt attempt(EvaluationOutcome outcome) {
        if (outcome instanceof EvaluationOutcome.Failed f) {
            return new Attempt(Optional.empty(), Optional.of(f.detail().isEmpty() ? f.reason()
                    : f.reason() + ": " + f.detail()));
        }
        Scores scores = ((EvaluationOutcome.Scored) outcome).scores();
        try {
            double fitness = context.tasks().fitness().of(scores);
            if (Double.isNaN(fitness)) {
                return new Attempt(Optional.empty(), Optional.of("the fitness is not a number"));
            }
        } catch (RuntimeException e) {
            return new Attempt(Optional.empty(), Optional.of(describe(e)));
        }
        return new Attempt(Optional.of(scores), Optional.empty());
    }

    static String describe(Throwable e) {
        if (e instanceof EvomergeException user) {
            return user.getMessage();
        }
        if (e instanceof OutOfMemoryError) {
            return "out of memory: " + e.getMessage();
        }
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }

    private String progressLine(Optimizer optimizer, List<HistoryRecord> generation, long millis) {
        double best = Double.NEGATIVE_INFINITY;
        double sum = 0;
        int finite = 0;
        for (HistoryRecord r : context.history().records(stage)) {
            if (Double.isFinite(r.fitness())) {
                best = Math.max(best, r.fitness());
            }
        }
        for (HistoryRecord r : generation) {
            if (Double.isFinite(r.fitness())) {
                sum += r.fitness();
                finite++;
            }
        }
        long failed = generation.size() - finite;
        String bestText = Double.isFinite(best) ? String.format(Locale.ROOT, "best %.4f", best) : "none scored yet";
        if (finite == 0) {
            // no mean to show: say how many failed and the error they share, which is what the user must fix
            Map.Entry<String, Long> shared = sharedError(generation);
            return String.format(Locale.ROOT, "%s generation %d: %d evaluations, %s, all %d candidates failed (%d"
                    + " with: %s)%s", label(), optimizer.generation(), optimizer.evaluations(), bestText, failed,
                    shared.getValue(), shared.getKey(), eta(optimizer, millis));
        }
        return String.format(Locale.ROOT, "%s generation %d: %d evaluations, %s, mean %.4f%s%s", label(),
                optimizer.generation(), optimizer.evaluations(), bestText, sum / finite,
                failed == 0 ? "" : ", " + failed + " failed", eta(optimizer, millis));
    }

    /** The error most of these records failed with (the first such on a tie), and how many share it. */
    static Map.Entry<String, Long> sharedError(List<HistoryRecord> records) {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (HistoryRecord r : records) {
            r.error().ifPresent(e -> counts.merge(e.replaceAll("\\s+", " ").strip(), 1L, Long::sum));
        }
        Map.Entry<String, Long> most = Map.entry("no error recorded", 0L);
        for (Map.Entry<String, Long> e : counts.entrySet()) {
            if (e.getValue() > most.getValue()) {
                most = e;
            }
        }
        return most;
    }

    private String eta(Optimizer optimizer, long millis) {
        SearchSettings.Budget budget = budget(population);
        double perGeneration = millis / (double) Math.max(1, optimizer.generation());
        double remaining = Double.POSITIVE_INFINITY;
        if (budget.generations().isPresent()) {
            remaining = Math.min(remaining, (budget.generations().getAsLong() - optimizer.generation())
                    * perGeneration);
        }
        if (budget.evaluations().isPresent()) {
            double perEvaluation = millis / (double) Math.max(1, optimizer.evaluations());
            remaining = Math.min(remaining, (budget.evaluations().getAsLong() - optimizer.evaluations())
                    * perEvaluation);
        }
        if (budget.wallTime().isPresent()) {
            remaining = Math.min(remaining, budget.wallTime().get().toMillis() - millis);
        }
        if (!Double.isFinite(remaining)) {
            return "";
        }
        long seconds = Math.max(0, Math.round(remaining / 1000));
        return seconds >= 3600 ? String.format(Locale.ROOT, ", ETA %dh%02dm", seconds / 3600, seconds / 60 % 60)
                : String.format(Locale.ROOT, ", ETA %dm%02ds", seconds / 60, seconds % 60);
    }

    /**
     * Chooses the stage's result on the validation split: one objective, the best of the {@value
     * #VALIDATION_CANDIDATES} best distinct recipes of the search; several objectives, the non-dominated recipes of
     * the search, each also kept as a finalist. Ties go to the better search score.
     */
    Outcome choose(long evaluations, List<JsonNode> validated) {
        if (!validated.isEmpty()) {
            List<Finalist> finalists = new ArrayList<>();
            for (JsonNode v : validated) {
                JsonNode fitness = v.get("validation_fitness");
                finalists.add(new Finalist(History.parse(v.get("search")), History.readScores(v.get("validation")),
                        fitness.isNull() ? Double.NEGATIVE_INFINITY : fitness.asDouble()));
            }
            Finalist chosen = finalists.getFirst();
            for (Finalist f : finalists) {
                if (f.validationFitness() > chosen.validationFitness()) {
                    chosen = f;
                }
            }
            context.events().lifecycle(String.format(Locale.ROOT,
                    "%s result: recipe %s (generation %d's %s), validation fitness %.4f, the best of %d snapshots"
                            + " validated per generation", label(), chosen.search().recipe(),
                    chosen.search().generation(), chosen.snapshot(), chosen.validationFitness(), finalists.size()));
            return new Outcome(chosen, finalists, evaluations, PER_GENERATION);
        }
        List<HistoryRecord> evaluated = context.history().records(stage).stream()
                .filter(r -> !r.failed() && Double.isFinite(r.fitness())).toList();
        if (evaluated.isEmpty()) {
            List<HistoryRecord> all = context.history().records(stage);
            Map.Entry<String, Long> shared = sharedError(all);
            throw new RunException(all.isEmpty() ? "no candidate of the " + stage + " search was evaluated"
                    : "every candidate of the " + stage + " search failed, " + shared.getValue() + " of "
                            + all.size() + " with: " + shared.getKey(),
                    "see history.jsonl in the work directory, fix the cause, and run again");
        }
        List<HistoryRecord> candidates = context.tasks().multiObjective() || pathLength != null
                ? nonDominated(evaluated) : best(evaluated);
        Evaluator validation = context.evaluators().apply(context.tasks().runs(EvolveTasks.Role.VALIDATION));
        List<Finalist> finalists = new ArrayList<>();
        List<Attempt> attempts = scoreAll(candidates.stream().map(r -> stage + "-validation-g" + r.generation() + "-c"
                + r.index()).toList(), candidates.stream().map(HistoryRecord::genome).toList(), validation);
        for (int k = 0; k < candidates.size(); k++) {
            HistoryRecord r = candidates.get(k);
            Attempt o = attempts.get(k);
            if (o.scores().isPresent()) {
                finalists.add(new Finalist(r, o.scores().get(), context.tasks().fitness().of(o.scores().get())));
            } else {
                context.events().warn(stage + " candidate " + r.recipe() + " failed on the validation split: "
                        + o.error().orElseThrow());
            }
        }
        if (finalists.isEmpty()) {
            throw new RunException("every finalist of the " + stage + " search failed on the validation split",
                    "see the warnings above, fix the cause, and run again");
        }
        Finalist chosen = finalists.getFirst();
        for (Finalist f : finalists) {
            if (f.validationFitness() > chosen.validationFitness()) {
                chosen = f;
            }
        }
        context.events().lifecycle(String.format(Locale.ROOT,
                "%s result: recipe %s, search fitness %.4f, validation fitness %.4f (of %d finalists)", label(),
                chosen.search().recipe(), chosen.search().fitness(), chosen.validationFitness(), finalists.size()));
        return new Outcome(chosen, finalists, evaluations, TOP_SEARCH);
    }

    private static List<HistoryRecord> best(List<HistoryRecord> evaluated) {
        List<HistoryRecord> sorted = new ArrayList<>(evaluated);
        sorted.sort(Comparator.comparingDouble(HistoryRecord::fitness).reversed());
        List<HistoryRecord> chosen = new ArrayList<>();
        Set<String> recipes = new HashSet<>();
        for (HistoryRecord r : sorted) {
            if (recipes.add(r.recipe())) {
                chosen.add(r);
                if (chosen.size() == VALIDATION_CANDIDATES) {
                    break;
                }
            }
        }
        return chosen;
    }

    /** The records no other record dominates, one per recipe, in history order. */
    private List<HistoryRecord> nonDominated(List<HistoryRecord> evaluated) {
        List<HistoryRecord> front = new ArrayList<>();
        Set<String> recipes = new HashSet<>();
        for (HistoryRecord r : evaluated) {
            boolean dominated = false;
            for (HistoryRecord other : evaluated) {
                if (dominates(other.objectives(), r.objectives())) {
                    dominated = true;
                    break;
                }
            }
            if (!dominated && recipes.add(r.recipe())) {
                front.add(r);
            }
        }
        return front;
    }

    private boolean dominates(double[] a, double[] b) {
        boolean better = false;
        for (int i = 0; i < a.length; i++) {
            double x = directions.get(i) == Direction.MAXIMIZE ? a[i] : -a[i];
            double y = directions.get(i) == Direction.MAXIMIZE ? b[i] : -b[i];
            if (x < y) {
                return false;
            }
            if (x > y) {
                better = true;
            }
        }
        return better;
    }
}
