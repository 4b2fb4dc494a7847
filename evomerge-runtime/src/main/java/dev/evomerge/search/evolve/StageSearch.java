package dev.evomerge.search.evolve;

import com.fasterxml.jackson.databind.JsonNode;
import dev.evomerge.config.ByteSizes;
import dev.evomerge.diag.ConfigException;
import dev.evomerge.diag.EvomergeException;
import dev.evomerge.diag.RunException;
import dev.evomerge.eval.EvaluationOutcome;
import dev.evomerge.eval.Evaluator;
import dev.evomerge.eval.Scores;
import dev.evomerge.eval.TaskRun;
import dev.evomerge.event.EventListener;
import dev.evomerge.search.Direction;
import dev.evomerge.search.Optimizer;
import dev.evomerge.search.SearchStatus;
import dev.evomerge.search.StopCondition;
import dev.evomerge.search.StopConditions;
import dev.evomerge.search.Xoshiro256;
import dev.evomerge.search.cmaes.CmaEs;
import dev.evomerge.search.cmaes.CmaEsSettings;
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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
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

    /** A stage's result: the chosen genome, and every candidate scored on the validation split. */
    record Outcome(Finalist chosen, List<Finalist> finalists, long evaluations) {
    }

    /** A candidate scored on the validation split. */
    record Finalist(HistoryRecord search, Scores validation, double validationFitness) {
    }

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
        long previousMillis = resumed.map(Checkpoint::stageMillis).orElse(0L);
        long startNanos = System.nanoTime();
        StopCondition stop = stopCondition();
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
            events.lifecycle(String.format(Locale.ROOT, "%s search: %d genes, %s, population %d", label(),
                    space.dimension(), optimizer.kind(), optimizer.ask().size()));
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
            List<double[]> asked = optimizer.ask();
            long generation = optimizer.generation();
            Evaluator evaluator = context.evaluators().apply(context.tasks().searchRuns(stageIndex, generation));
            List<HistoryRecord> records = evaluateAll(generation, asked, evaluator);
            context.history().append(records);
            optimizer.tell(records.stream().map(HistoryRecord::objectives).toList());
            millis = previousMillis + (System.nanoTime() - startNanos) / 1_000_000;
            new Checkpoint(context.fingerprint(), stage, Optional.of(optimizer.state()), millis, earlierEvaluations,
                    context.history().size(), psResult).write(context.workDirectory());
            events.lifecycle(progressLine(optimizer, records, millis));
        }
        return choose(optimizer.evaluations());
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
                yield CmaEs.start(settings, random);
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
            case GeneticSearch.KIND -> GeneticSearch.restore(state);
            case Nsga2Search.KIND -> Nsga2Search.restore(state);
            default -> throw new RunException("the checkpoint holds an unknown optimizer '" + kind + "'",
                    "start the run again in a fresh work directory");
        };
    }

    private StopCondition stopCondition() {
        SearchSettings.Budget budget = context.config().search().budget();
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

    private HistoryRecord evaluate(long generation, int index, double[] genome, Evaluator evaluator) {
        String name = stage + "-g" + generation + "-c" + index;
        long start = System.nanoTime();
        String recipe;
        try {
            recipe = RecipeHash.of(source.recipe(genome));
        } catch (RuntimeException e) {
            recipe = "invalid";
        }
        Attempt o = score(name, genome, evaluator);
        double seconds = (System.nanoTime() - start) / 1e9;
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

    /** Builds and evaluates a candidate; never throws for the candidate's own failure. */
    Attempt score(String name, double[] genome, Evaluator evaluator) {
        EvaluationOutcome outcome;
        try (CandidateSource.Prepared prepared = source.prepare(name, genome)) {
            outcome = evaluator.evaluate(prepared.candidate());
        } catch (RuntimeException | OutOfMemoryError e) {
            return new Attempt(Optional.empty(), Optional.of(describe(e)));
        }
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
        SearchSettings.Budget budget = context.config().search().budget();
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
    Outcome choose(long evaluations) {
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
        for (HistoryRecord r : candidates) {
            Attempt o = score(stage + "-validation-g" + r.generation() + "-c" + r.index(), r.genome(), validation);
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
        return new Outcome(chosen, finalists, evaluations);
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
