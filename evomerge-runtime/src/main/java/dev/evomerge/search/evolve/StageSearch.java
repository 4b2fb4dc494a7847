package dev.evomerge.search.evolve;

import com.fasterxml.jackson.databind.JsonNode;
import dev.evomerge.config.ByteSizes;
import dev.evomerge.diag.ConfigException;
import dev.evomerge.eval.Evaluator;
import dev.evomerge.eval.fitness.Scores;
import dev.evomerge.eval.harness.TaskRun;
import dev.evomerge.event.EventListener;
import dev.evomerge.exec.CandidateRuns;
import dev.evomerge.report.History;
import dev.evomerge.report.HistoryRecord;
import dev.evomerge.search.Direction;
import dev.evomerge.search.Optimizer;
import dev.evomerge.search.SearchStatus;
import dev.evomerge.search.StopCondition;
import dev.evomerge.search.Xoshiro256;
import dev.evomerge.search.space.GenomeSpace;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.function.Function;
import java.util.function.ToIntFunction;

/**
 * One stage of an evolve run (parameter space or data-flow space): the generation loop over an optimizer, with a
 * checkpoint after every generation, snapshots scored on the validation split as it goes
 * ({@link SnapshotValidation}), and the choice of the stage's result on that split ({@link StageChoice}).
 *
 * <p>Each generation asks the optimizer for candidates, runs them on the generation's documents
 * ({@link CandidateRuns}), appends their records to the history, tells the optimizer, and writes the checkpoint; the
 * snapshots chosen after it run behind the next generation's candidates ({@link SnapshotValidation.InFlight}). A
 * candidate that cannot be built or evaluated, or whose fitness is not a number, gets the worst fitness and its
 * error in the history.
 */
final class StageSearch {

    /**
     * A stage's result.
     *
     * @param chosen the chosen genome
     * @param finalists what the choice kept: the candidates scored on the validation split, or for several
     *     objectives and per-generation validation the validated snapshots on the Pareto front
     * @param validated every candidate scored on the validation split
     * @param selection how the choice was made ({@link StageChoice#PER_GENERATION},
     *     {@link StageChoice#PER_GENERATION_FRONT} or {@link StageChoice#TOP_SEARCH})
     */
    record Outcome(Finalist chosen, List<Finalist> finalists, List<Finalist> validated, long evaluations,
            String selection) {
    }

    /**
     * A candidate scored on the validation split.
     *
     * @param search its evaluation in the search; for CMA-ES' mean and the stage's start point (which the search
     *     never evaluates), a record with candidate index {@value SnapshotValidation#MEAN_INDEX} or
     *     {@value SnapshotValidation#START_INDEX} and no scores
     */
    record Finalist(HistoryRecord search, Scores validation, double validationFitness) {

        /**
         * {@code start} for the stage's start point, {@code mean} for a snapshot of CMA-ES' mean, else {@code best}
         * (the best candidate of its generation).
         */
        String snapshot() {
            return switch (search.index()) {
                case SnapshotValidation.START_INDEX -> "start";
                case SnapshotValidation.MEAN_INDEX -> "mean";
                default -> "best";
            };
        }
    }

    /** What {@link #run} came to: the stage ended, or this invocation's generations were used up. */
    sealed interface Result permits Finished, Paused {
    }

    /** The stage ended with its outcome; {@code times} says where its wall time went in this invocation. */
    record Finished(Outcome outcome, StageTimes.Shares times) implements Result {
    }

    /** The invocation's generations are used up: the checkpoint stands, a later resume goes on. */
    record Paused() implements Result {
    }

    /** What the stages share. */
    record Context(EvolveConfig config, EvolveTasks tasks, History history, CandidateRuns runs,
            Function<List<TaskRun>, Evaluator> evaluators, Path workDirectory, String fingerprint,
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

    private final Context context;
    private final Stage stage;
    private final GenomeSpace<?> space;
    private final CandidateSource source;
    private final List<Direction> directions;
    private final Scoring scoring;
    private final SnapshotValidation snapshots;
    private final StageChoice choice;

    /**
     * @param pathLength the path length of a genome when it is an extra objective to minimise
     */
    StageSearch(Context context, Stage stage, GenomeSpace<?> space, CandidateSource source,
            Optional<ToIntFunction<double[]>> pathLength) {
        this.context = context;
        this.stage = stage;
        this.space = space;
        this.source = source;
        List<Direction> d = new ArrayList<>();
        int objectives = context.tasks().multiObjective() ? context.tasks().objectives().size() : 1;
        for (int i = 0; i < objectives; i++) {
            d.add(Direction.MAXIMIZE);
        }
        pathLength.ifPresent(p -> d.add(Direction.MINIMIZE));
        this.directions = List.copyOf(d);
        this.scoring = new Scoring(stage, source, context.tasks(), directions, pathLength);
        StageValidation validation = new StageValidation(context, stage, source, scoring, directions);
        this.snapshots = new SnapshotValidation(validation);
        this.choice = new StageChoice(validation);
    }

    /**
     * Runs the stage's search from {@code x0}, or on from a checkpoint of this stage, and chooses its result.
     *
     * @param resumed the checkpoint to continue from, when it is one of this stage
     * @param earlierEvaluations evaluations of earlier stages (kept in checkpoints)
     * @param psResult the parameter-space result's directory (kept in checkpoints)
     */
    Result run(double[] x0, Optional<Checkpoint> resumed, long earlierEvaluations, Optional<String> psResult) {
        Optimizer optimizer = resumed.flatMap(Checkpoint::optimizer).map(Optimizers::restore)
                .orElseGet(() -> start(x0));
        List<JsonNode> validated = new ArrayList<>(resumed.map(Checkpoint::validated).orElse(List.of()));
        long previousMillis = resumed.map(Checkpoint::stageMillis).orElse(0L);
        long startNanos = System.nanoTime();
        StageTimes times = new StageTimes(context.config().evaluation().threads(), source.mergeNanos());
        StageProgress progress = new StageProgress(context.config().search(), stage, space.dimension(),
                Optimizers.population(optimizer));
        StopCondition stop = progress.stopCondition();
        EventListener events = context.events();
        int threads = context.config().evaluation().threads();
        int fitting = context.runs().memory().fitting(source.candidateBytes());
        if (fitting < threads) {
            events.lifecycle(String.format(Locale.ROOT, "%s candidates need about %s each: %d of %d"
                    + " evaluation threads fit in the memory budget of %s (evaluation.memory_budget)",
                    stage.label(), ByteSizes.human(source.candidateBytes(), "B"), fitting, threads,
                    ByteSizes.human(context.runs().memory().budget(), "B")));
        }
        if (resumed.isEmpty()) {
            events.lifecycle(progress.startLine(optimizer));
        } else {
            events.lifecycle(String.format(Locale.ROOT, "%s search resumed after generation %d (%d evaluations)",
                    stage.label(), optimizer.generation(), optimizer.evaluations()));
        }
        // the start point's snapshot is queued ahead of the first generation's candidates, which run beside it (once
        // a generation runs); the checkpoint written after that generation keeps it
        boolean startDue = resumed.flatMap(Checkpoint::optimizer).isEmpty() && snapshots.validatesStart();
        SnapshotValidation.InFlight inFlight = snapshots.inFlight(validated,
                resumed.map(Checkpoint::pendingValidation).orElse(List.of()), times);
        boolean first = true;
        Checkpoint written = null;
        while (true) {
            long millis = previousMillis + (System.nanoTime() - startNanos) / 1_000_000;
            Optional<String> reason = stop.check(SearchStatus.of(optimizer, Duration.ofMillis(millis)));
            if (reason.isPresent()) {
                events.lifecycle(stage.label() + " search ends: " + reason.get());
                break;
            }
            if (!context.allowance().take()) {
                // the batch running is waited for and the checkpoint holds its scores; a resume begins the rest
                inFlight.collect();
                if (written != null) {
                    written.withValidation(validated, inFlight.pending()).write(context.workDirectory());
                }
                events.lifecycle(String.format(Locale.ROOT, "%s search paused after generation %d: resume to go on",
                        stage.label(), optimizer.generation()));
                return new Paused();
            }
            if (first) {
                if (startDue) {
                    inFlight.add(snapshots.start(x0));
                    startDue = false;
                }
                inFlight.beginFirst();
                first = false;
            }
            long askStart = System.nanoTime();
            List<double[]> asked = optimizer.ask();
            times.addOptimizer(System.nanoTime() - askStart);
            long generation = optimizer.generation();
            Evaluator evaluator = context.evaluators().apply(context.tasks().searchRuns(stage.index(),
                    Optimizers.keepsScoredMembers(optimizer) ? 0 : generation));
            Supplier<List<HistoryRecord>> candidates = begin(generation, asked, evaluator, times);
            inFlight.advance();
            List<HistoryRecord> records = candidates.get();
            context.history().append(records);
            long tellStart = System.nanoTime();
            optimizer.tell(records.stream().map(HistoryRecord::objectives).toList());
            times.addOptimizer(System.nanoTime() - tellStart);
            if (snapshots.validatesPerGeneration()) {
                inFlight.add(snapshots.chooseGeneration(Optimizers.mean(optimizer), records, generation));
            }
            millis = previousMillis + (System.nanoTime() - startNanos) / 1_000_000;
            written = new Checkpoint(context.fingerprint(), stage, Optional.of(optimizer.state()), millis,
                    earlierEvaluations, context.history().size(), psResult, validated, inFlight.pending());
            written.write(context.workDirectory());
            events.lifecycle(progress.generationLine(optimizer, context.history().records(stage), records, millis)
                    + "; " + times.shares(source.mergeNanos()).line());
        }
        if (startDue) {
            inFlight.add(snapshots.start(x0));
        }
        inFlight.drain();
        Outcome outcome = choice.choose(optimizer.evaluations(), validated, times);
        return new Finished(outcome, times.shares(source.mergeNanos()));
    }

    /**
     * Queues a generation's candidates on the evaluation threads; the supplier waits for their records, in the asked
     * order.
     */
    private Supplier<List<HistoryRecord>> begin(long generation, List<double[]> genomes, Evaluator evaluator,
            StageTimes times) {
        List<CandidateRuns.Job> jobs = new ArrayList<>(genomes.size());
        for (int i = 0; i < genomes.size(); i++) {
            String name = stage.id() + "-g" + generation + "-c" + i;
            double[] genome = genomes.get(i);
            jobs.add(new CandidateRuns.Job(name, () -> source.prepare(name, genome)));
        }
        Supplier<List<CandidateRuns.Result>> pending = context.runs().begin(stage.id() + "-g" + generation, jobs,
                source.candidateBytes(), evaluator, times);
        return () -> {
            List<CandidateRuns.Result> results = pending.get();
            List<HistoryRecord> records = new ArrayList<>(genomes.size());
            for (int i = 0; i < genomes.size(); i++) {
                CandidateRuns.Result r = results.get(i);
                records.add(scoring.record(generation, i, genomes.get(i), scoring.attempt(r), r.seconds()));
            }
            return records;
        };
    }

    private Optimizer start(double[] x0) {
        SearchSettings s = context.config().search();
        Xoshiro256 random = Xoshiro256.seeded(s.seed() + 0x9E3779B97F4A7C15L * stage.index());
        OptimizerKind kind = s.optimizer();
        if (directions.size() > 1 && kind != OptimizerKind.NSGA2) {
            throw new ConfigException(s.locationOf("optimizer"), "the " + stage.id()
                    + " search has " + directions.size() + " objectives, which " + kind.configName()
                    + " cannot search", "use optimizer: nsga2");
        }
        if (directions.size() == 1 && kind == OptimizerKind.NSGA2) {
            kind = OptimizerKind.CMAES;
            context.events().lifecycle(stage.label() + " search has one objective: it uses cmaes");
        }
        return Optimizers.start(kind, new Optimizers.Start(x0, space, directions, s, s.sigma0(stage), random));
    }
}
