package dev.evomerge.search.evolve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import dev.evomerge.config.MergeConfig;
import dev.evomerge.diag.InputException;
import dev.evomerge.eval.BatchEvaluator;
import dev.evomerge.eval.Candidate;
import dev.evomerge.eval.EvaluationOutcome;
import dev.evomerge.eval.Evaluator;
import dev.evomerge.eval.fitness.Scores;
import dev.evomerge.eval.harness.TaskRun;
import dev.evomerge.event.Event;
import dev.evomerge.event.EventListener;
import dev.evomerge.exec.CandidateRuns;
import dev.evomerge.report.History;
import dev.evomerge.report.HistoryRecord;
import dev.evomerge.search.space.DataFlowModel;
import dev.evomerge.search.space.DataFlowSpace;
import dev.evomerge.search.space.ParameterSpace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One stage's generation loop with a stand-in evaluator (the scores are a function of the genome and of the
 * documents the evaluator was made for), so that what the loop hands the evaluator can be checked.
 */
class StageSearchTest {

    @TempDir
    static Path dir;

    @BeforeAll
    static void fixture() {
        EvolveFixture.create(dir);
    }

    private static final String PS = EvolveFixture.GENOME + """
            search:
              optimizer: ga
              population: 6
              budget: {generations: 4}
              seed: 5
              subset: 2
            """ + EvolveFixture.TASKS;

    /**
     * What the stand-in evaluators were made for, the stage's outcome, the candidates scored on the validation split
     * (in every invocation of the stage), and the names of the batches a batch evaluator was handed.
     */
    record Run(List<List<TaskRun>> searchRuns, StageSearch.Outcome outcome, List<HistoryRecord> history,
            List<String> validations, List<String> batches) {
    }

    /** A candidate source whose recipes are the parameter space's and whose candidates are only names. */
    private static final class NamedCandidates implements CandidateSource {
        private final ParameterSpace space;

        NamedCandidates(ParameterSpace space) {
            this.space = space;
        }

        @Override
        public MergeConfig recipe(double[] genome) {
            return space.decode(genome);
        }

        @Override
        public Prepared prepare(String name, double[] genome) {
            return new Prepared() {
                @Override
                public Candidate candidate() {
                    return new Candidate.Directory(name + "|" + java.util.Arrays.toString(genome), dir);
                }

                @Override
                public void close() {
                }
            };
        }

        @Override
        public void writeModel(double[] genome, Path out) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void close() {
        }
    }

    /** Perplexity 1 + the genome's distance from (0.7, 1.3) + a document-dependent offset. */
    static double perplexity(String candidate, List<TaskRun> runs) {
        return perplexity(candidate, runs, new double[] {0.7, 1.3});
    }

    /** Perplexity 1 + the genome's distance from {@code optimum} + a document-dependent offset. */
    static double perplexity(String candidate, List<TaskRun> runs, double[] optimum) {
        String genome = candidate.substring(candidate.indexOf('|') + 2, candidate.length() - 1);
        String[] parts = genome.split(", ");
        double a = Double.parseDouble(parts[0]) - optimum[0];
        double b = Double.parseDouble(parts[1]) - optimum[1];
        double docs = runs.getFirst().docs().map(d -> d.stream().mapToInt(Integer::intValue).sum()).orElse(-1);
        return 1 + Math.sqrt(a * a + b * b) + 0.1 * docs;
    }

    static Run run(String name, String yaml, ToDoubleFunction<String> delaySeconds, List<Event> events)
            throws IOException {
        return run(name, yaml, delaySeconds, events, Optional.empty(), -1, false);
    }

    /**
     * @param delaySeconds how long a candidate's evaluation takes, by its name; NaN for one that fails
     * @param optimum the stand-in's best genome; none for (0.7, 1.3), {@code x0} for the stage's start point
     * @param pauseAfter generations after which the stage pauses once and is resumed from its checkpoint; -1 for none
     * @param batches whether the evaluators take a generation at once, as the Slurm evaluator does
     */
    static Run run(String name, String yaml, ToDoubleFunction<String> delaySeconds, List<Event> events,
            Optional<double[]> optimum, long pauseAfter, boolean batches) throws IOException {
        Path config = dir.resolve(name + ".yml");
        Files.writeString(config, yaml);
        EventListener listener = events::add;
        EvolveConfig cfg = EvolveConfigReader.read(config, listener);
        EvolveTasks tasks = EvolveTasks.load(cfg, listener);
        Path work = dir.resolve("work-" + name);
        Files.createDirectories(work);
        List<List<TaskRun>> searchRuns = Collections.synchronizedList(new ArrayList<>());
        List<String> validations = Collections.synchronizedList(new ArrayList<>());
        List<String> batchNames = Collections.synchronizedList(new ArrayList<>());
        ParameterSpace space = ParameterSpace.of(cfg.genome().orElseThrow(), 2);
        double[] x0 = space.initialPoint(cfg.search().initial(), null);
        double[] centre = optimum.map(o -> o.length == 0 ? x0 : o).orElse(new double[] {0.7, 1.3});
        Function<List<TaskRun>, Evaluator> evaluators = runs -> {
            if (runs.getFirst().split().equals("train")) {
                searchRuns.add(runs);
            }
            Evaluator one = candidate -> {
                if (runs.getFirst().split().equals("validation")) {
                    validations.add(candidate.name());
                }
                double delay = delaySeconds.applyAsDouble(candidate.name());
                if (Double.isNaN(delay)) {
                    return new EvaluationOutcome.Failed(candidate.name(), "failed on purpose", "", Duration.ZERO);
                }
                if (delay > 0) {
                    try {
                        Thread.sleep((long) (delay * 1000));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return new EvaluationOutcome.Failed(candidate.name(), "interrupted", "", Duration.ZERO);
                    }
                }
                return new EvaluationOutcome.Scored(candidate.name(), new Scores(Map.of("words",
                        Map.of("perplexity,none", perplexity(candidate.name(), runs, centre)))), Optional.empty(),
                        Duration.ZERO);
            };
            if (!batches) {
                return one;
            }
            return (BatchEvaluator) (batch, candidates) -> {
                batchNames.add(batch);
                return candidates.stream().map(one::evaluate).toList();
            };
        };
        for (int attempt = 0; ; attempt++) {
            Optional<Checkpoint> checkpoint = Checkpoint.read(work);
            try (History history = History.open(work.resolve("history.jsonl"),
                    checkpoint.map(Checkpoint::historyBytes).orElse(0L));
                    CandidateRuns runs = CandidateRuns.local(cfg.evaluation().threads(), Long.MAX_VALUE,
                            Optional.of(cfg.evaluation().timeout()))) {
                StageSearch.Context context = new StageSearch.Context(cfg, tasks, history, runs, evaluators, work,
                        "test", new StageSearch.GenerationAllowance(attempt == 0 ? pauseAfter : -1), listener);
                StageSearch search = new StageSearch(context, Stage.PS, space, new NamedCandidates(space),
                        Optional.empty());
                if (search.run(x0, checkpoint, 0, Optional.empty()) instanceof StageSearch.Finished finished) {
                    return new Run(List.copyOf(searchRuns), finished.outcome(), history.records(),
                            List.copyOf(validations), List.copyOf(batchNames));
                }
                assertTrue(attempt == 0 && pauseAfter >= 0, "paused without being told to");
                // the paused invocation waited for the batch running: its checkpoint holds only the batch after it
                assertTrue(Checkpoint.read(work).orElseThrow().pendingValidation().size() <= 1);
            }
        }
    }

    /**
     * Paused after two generations (whose snapshots run behind the next generation's candidates, on two threads),
     * then resumed: the paused invocation waits for the snapshots it began and checkpoints their scores, and the stage
     * validates and chooses what the uninterrupted run does.
     */
    @Test
    void subset_cmaes_pausedAndResumed_validatesAsTheUninterruptedRun() throws IOException {
        String yaml = PS.replace("optimizer: ga", "optimizer: cmaes") + "evaluation: {threads: 2}\n";
        Run straight = run("validation-straight", yaml, name -> 0, new ArrayList<>(), Optional.empty(), -1, false);
        Run resumed = run("validation-resumed", yaml, name -> 0, new ArrayList<>(), Optional.empty(), 2, false);
        Function<Run, List<String>> validated = r -> r.outcome().validated().stream()
                .map(f -> f.snapshot() + " g" + f.search().generation() + " " + f.search().recipe() + " "
                        + f.validationFitness())
                .toList();
        // the start point, then per generation its best candidate and the mean (a recipe seen before is not again)
        assertTrue(validated.apply(straight).size() >= 5, () -> validated.apply(straight).toString());
        assertEquals(validated.apply(straight), validated.apply(resumed));
        List<String> recipes = straight.outcome().validated().stream().map(f -> f.search().recipe()).toList();
        assertEquals(recipes.size(), new HashSet<>(recipes).size(), "a recipe validated twice: " + recipes);
        // no snapshot scored twice across the paused and the resumed invocation, none left out
        assertEquals(straight.validations().size(), resumed.validations().size(), resumed.validations()::toString);
        assertEquals(straight.outcome().chosen().search().recipe(), resumed.outcome().chosen().search().recipe());
        assertEquals(straight.history().stream().map(HistoryRecord::recipe).toList(),
                resumed.history().stream().map(HistoryRecord::recipe).toList());
    }

    /**
     * A generation all of whose candidates fail has no snapshot to validate: the stage goes on, and paused after it
     * and resumed, ends as the run that went straight through.
     */
    @Test
    void subset_generationThatAllFailed_pausedAndResumed_endsAsTheUninterruptedRun() throws IOException {
        ToDoubleFunction<String> secondFails = name -> name.startsWith("ps-g1-") ? Double.NaN : 0;
        Run straight = run("all-failed-straight", PS, secondFails, new ArrayList<>(), Optional.empty(), -1, false);
        Run resumed = run("all-failed-resumed", PS, secondFails, new ArrayList<>(), Optional.empty(), 2, false);
        assertTrue(straight.history().stream().filter(r -> r.generation() == 1).allMatch(HistoryRecord::failed));
        assertEquals(straight.outcome().chosen().search().recipe(), resumed.outcome().chosen().search().recipe());
        assertEquals(straight.validations().size(), resumed.validations().size());
        assertEquals(straight.outcome().validated().stream().map(f -> f.search().recipe()).toList(),
                resumed.outcome().validated().stream().map(f -> f.search().recipe()).toList());
    }

    /**
     * Resumed from the checkpoint written after the second generation, which holds two batches whose scores were not
     * in (the first generation's, still running, and the second's): the stage validates and chooses what the run
     * that went on from that point did.
     */
    @Test
    void subset_resumedWithTwoPendingBatches_endsAsTheUninterruptedRun() throws IOException {
        String yaml = PS.replace("optimizer: ga", "optimizer: cmaes") + "evaluation: {threads: 2}\n";
        Path copy = Files.createDirectories(dir.resolve("work-two-pending-resumed").resolve("checkpoint"));
        Path work = dir.resolve("work-two-pending-straight");
        List<Event> events = new ArrayList<>() {
            @Override
            public boolean add(Event e) {
                // the line after a generation comes once its checkpoint is written: keep the second one's
                if (e instanceof Event.Lifecycle l && l.message().startsWith("PS generation 2:")) {
                    try {
                        Files.copy(Checkpoint.file(work), copy.resolve(Checkpoint.file(work).getFileName()));
                        Files.copy(work.resolve("history.jsonl"), copy.getParent().resolve("history.jsonl"));
                    } catch (IOException x) {
                        throw new java.io.UncheckedIOException(x);
                    }
                }
                return super.add(e);
            }
        };
        Run straight = run("two-pending-straight", yaml, name -> 0, events, Optional.empty(), -1, false);
        assertEquals(2, Checkpoint.read(copy.getParent()).orElseThrow().pendingValidation().size());
        Run resumed = run("two-pending-resumed", yaml, name -> 0, new ArrayList<>(), Optional.empty(), -1, false);
        Function<Run, List<String>> validated = r -> r.outcome().validated().stream()
                .map(f -> f.snapshot() + " g" + f.search().generation() + " " + f.search().recipe() + " "
                        + f.validationFitness())
                .toList();
        assertEquals(validated.apply(straight), validated.apply(resumed));
        assertEquals(straight.outcome().chosen().search().recipe(), resumed.outcome().chosen().search().recipe());
    }

    /**
     * With an evaluator that takes a generation at once (as on Slurm, where queuing a batch runs it), the snapshots
     * run as batches of their own after each generation's candidates, the start point's named apart from generation
     * 0's; paused and resumed, the stage validates and chooses what the uninterrupted run does.
     */
    @Test
    void subset_batchEvaluator_pausedAndResumed_validatesAsTheUninterruptedRun() throws IOException {
        String yaml = PS.replace("optimizer: ga", "optimizer: cmaes");
        Run straight = run("batches-straight", yaml, name -> 0, new ArrayList<>(), Optional.empty(), -1, true);
        Run resumed = run("batches-resumed", yaml, name -> 0, new ArrayList<>(), Optional.empty(), 2, true);
        assertEquals(List.of("ps-validation-start", "ps-g0", "ps-g1", "ps-validation-g0"),
                straight.batches().subList(0, 4));
        assertEquals(straight.outcome().validated().stream().map(f -> f.search().recipe()).toList(),
                resumed.outcome().validated().stream().map(f -> f.search().recipe()).toList());
        assertEquals(straight.outcome().chosen().search().recipe(), resumed.outcome().chosen().search().recipe());
        assertEquals(straight.validations().size(), resumed.validations().size());
    }

    /** A checkpoint whose pending snapshots lack their fields is refused as damaged, with what to do. */
    @Test
    void checkpoint_pendingBatchWithoutSnapshots_isRefusedAsDamaged() throws IOException {
        Path work = Files.createDirectories(dir.resolve("work-damaged-pending"));
        new Checkpoint("test", Stage.PS, Optional.empty(), 0, 0, 0, Optional.empty(), List.of(),
                List.of(JsonNodeFactory.instance.objectNode().put("generation", 1)))
                .write(work);
        InputException e = assertThrows(InputException.class, () -> Checkpoint.read(work));
        assertTrue(e.getMessage().contains("validation_pending"), e.getMessage());
    }

    @Test
    void subset_ga_everyGenerationScoredOnTheSameDocuments() throws IOException {
        for (String optimizer : List.of("ga")) {  // NSGA-II takes the same path; it needs several objectives
            Run run = run("fixed-" + optimizer, PS.replace("optimizer: ga", "optimizer: " + optimizer),
                    name -> 0, new ArrayList<>());
            Set<Optional<List<Integer>>> docs = new HashSet<>();
            for (List<TaskRun> runs : run.searchRuns()) {
                docs.add(runs.getFirst().docs());
            }
            assertEquals(4, run.searchRuns().size(), optimizer);
            assertEquals(1, docs.size(), optimizer + ": survivors keep their scores, so every generation must be"
                    + " scored on the same documents, got " + docs);
            assertEquals(2, docs.iterator().next().orElseThrow().size());
        }
    }

    @Test
    void subset_everyCandidateValidatesWorseThanTheStartPoint_theStartPointIsChosen() throws IOException {
        for (String optimizer : List.of("ga", "cmaes")) {
            // the stand-in's optimum is the start point itself: every searched candidate is farther from it
            Run run = run("start-best-" + optimizer, PS.replace("optimizer: ga", "optimizer: " + optimizer),
                    name -> 0, new ArrayList<>(), Optional.of(new double[0]), -1, false);
            StageSearch.Outcome outcome = run.outcome();
            StageSearch.Finalist start = outcome.validated().getFirst();
            assertEquals("start", start.snapshot(), optimizer);
            assertEquals(0, start.search().generation(), optimizer);
            assertEquals(StageChoice.PER_GENERATION, outcome.selection(), optimizer);
            assertTrue(outcome.validated().size() > 1, optimizer + ": the generations' snapshots are validated too");
            assertEquals(1, outcome.validated().stream().filter(f -> f.snapshot().equals("start")).count(),
                    optimizer);
            for (StageSearch.Finalist f : outcome.validated().subList(1, outcome.validated().size())) {
                assertTrue(f.validationFitness() < start.validationFitness(), optimizer + ": " + f);
            }
            assertEquals("start", outcome.chosen().snapshot(), optimizer);
            // the whole validation split: perplexity 1 at the optimum, 0.1 * -1 for no document subset
            assertEquals(-0.9, outcome.chosen().validationFitness(), 1e-9, optimizer);
            if (optimizer.equals("cmaes")) {
                // CMA-ES samples around its start point and validates its updated mean, never the start point
                assertTrue(run.history().stream().noneMatch(r -> r.recipe().equals(start.search().recipe())),
                        "the search itself never evaluated the start point");
            }
        }
    }

    @Test
    void subset_cmaes_everyGenerationDrawsItsOwnDocuments() throws IOException {
        Run run = run("varying-cmaes", PS.replace("optimizer: ga", "optimizer: cmaes"), name -> 0,
                new ArrayList<>());
        Set<Optional<List<Integer>>> docs = new HashSet<>();
        for (List<TaskRun> runs : run.searchRuns()) {
            docs.add(runs.getFirst().docs());
        }
        assertTrue(docs.size() > 1, "CMA-ES keeps no scored members: a new subset every generation, got " + docs);
    }

    @Test
    void timeout_stuckInProcessCandidate_isCancelledScoredWorstAndTheRunGoesOn() throws IOException {
        long start = System.nanoTime();
        Run run = run("stuck", PS.replace("optimizer: ga", "optimizer: cmaes").replace("subset: 2", "")
                + "evaluation:\n  timeout: 1s\n", name -> name.startsWith("ps-g1-c2|") ? 30 : 0,
                new ArrayList<>());
        assertTrue((System.nanoTime() - start) / 1e9 < 20, "the stuck candidate was waited for");
        assertEquals(24, run.history().size());
        for (HistoryRecord r : run.history()) {
            if (r.generation() == 1 && r.index() == 2) {
                assertTrue(r.error().orElseThrow().contains("timed out after 1s (evaluation.timeout)"),
                        r.error().toString());
                assertEquals(Double.NEGATIVE_INFINITY, r.fitness());
            } else {
                assertTrue(r.error().isEmpty(), r.toString());
            }
        }
    }

    /** Data-flow candidates whose recipes are the space's; the stand-in evaluator reads the genome by name. */
    private static final class PathCandidates implements CandidateSource {
        private final DataFlowSpace space;
        private final Map<String, double[]> genomes = new java.util.concurrent.ConcurrentHashMap<>();

        PathCandidates(DataFlowSpace space) {
            this.space = space;
        }

        @Override
        public MergeConfig recipe(double[] genome) {
            return space.recipe(space.decode(genome));
        }

        @Override
        public Prepared prepare(String name, double[] genome) {
            genomes.put(name, genome.clone());
            return new Prepared() {
                @Override
                public Candidate candidate() {
                    return new Candidate.Directory(name, dir);
                }

                @Override
                public void close() {
                }
            };
        }

        @Override
        public void writeModel(double[] genome, Path out) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void close() {
        }
    }

    /** A stand-in fitness of a path: about 80 steps, scales near 1.1. */
    private static double pathPerplexity(DataFlowSpace space, double[] genome) {
        int steps = space.decode(genome).steps().size();
        double scales = 0;
        for (int i = space.indicatorGenes().length; i < genome.length; i++) {
            scales += (genome[i] - 1.1) * (genome[i] - 1.1);
        }
        return 1 + Math.abs(steps - 80) / 10.0 + scales / genome.length;
    }

    /** Runs a paper-shaped data-flow stage, in one go or paused after {@code pauseAfter} generations and resumed. */
    private static List<String> paperShaped(String name, long pauseAfter, List<Event> events) throws IOException {
        Path config = dir.resolve(name + ".yml");
        Files.writeString(config, """
                dfs:
                  models: [models/a, models/b]
                search:
                  population: 128
                  budget: {generations: 3}
                  seed: 11
                """ + EvolveFixture.TASKS);
        EventListener listener = events::add;
        EvolveConfig cfg = EvolveConfigReader.read(config, listener);
        EvolveTasks tasks = EvolveTasks.load(cfg, listener);
        // M = 64 stacked layers (two models of 32), r = 3: 192 indicator genes and a 65 x 64 scale matrix
        DataFlowSpace space = DataFlowSpace.of(List.of(
                new DataFlowModel(dev.evomerge.config.ModelSpec.of("models/a"), 32, false),
                new DataFlowModel(dev.evomerge.config.ModelSpec.of("models/b"), 32, false)),
                cfg.dfs().orElseThrow().settings());
        Path work = dir.resolve("work-" + name);
        Files.createDirectories(work);
        PathCandidates source = new PathCandidates(space);
        Function<List<TaskRun>, Evaluator> evaluators = runs -> candidate -> new EvaluationOutcome.Scored(
                candidate.name(), new Scores(Map.of("words", Map.of("perplexity,none",
                        pathPerplexity(space, source.genomes.get(candidate.name()))))), Optional.empty(),
                Duration.ZERO);
        StageSearch.Outcome outcome = null;
        for (int attempt = 0; attempt < 2 && outcome == null; attempt++) {
            Optional<Checkpoint> checkpoint = Checkpoint.read(work);
            try (History history = History.open(work.resolve("history.jsonl"),
                    checkpoint.map(Checkpoint::historyBytes).orElse(0L));
                    CandidateRuns runs = CandidateRuns.local(2, Long.MAX_VALUE,
                            Optional.of(cfg.evaluation().timeout()))) {
                StageSearch.Context context = new StageSearch.Context(cfg, tasks, history, runs, evaluators, work,
                        "test", new StageSearch.GenerationAllowance(attempt == 0 ? pauseAfter : -1), listener);
                StageSearch search = new StageSearch(context, Stage.DFS, space, source, Optional.empty());
                StageSearch.Result result = search.run(space.initialPoint(cfg.search().sigma0()), checkpoint, 0,
                        Optional.empty());
                if (result instanceof StageSearch.Finished finished) {
                    outcome = finished.outcome();
                } else {
                    assertTrue(pauseAfter > 0);
                }
            }
        }
        assertEquals(4352, space.dimension());
        List<String> result = new ArrayList<>(Files.readAllLines(work.resolve("history.jsonl")));
        result.add(outcome.chosen().search().recipe());
        result.add(String.valueOf(outcome.chosen().validationFitness()));
        return result;
    }

    @Test
    void paperShapedDataFlowSearch_pausedAndResumed_endsAsTheUninterruptedRun() throws IOException {
        List<Event> events = new ArrayList<>();
        List<String> straight = paperShaped("paper-straight", -1, events);
        List<String> resumed = paperShaped("paper-resumed", 1, new ArrayList<>());
        assertEquals(3 * 128 + 2, straight.size());
        assertEquals(straight.size(), resumed.size());
        for (int i = 0; i < straight.size(); i++) {
            // the seconds an evaluation took differ between runs; everything else must not
            assertEquals(straight.get(i).replaceAll("\"seconds\":[0-9.E-]+", ""),
                    resumed.get(i).replaceAll("\"seconds\":[0-9.E-]+", ""), "line " + i);
        }
        String start = events.stream().filter(e -> e instanceof Event.Lifecycle)
                .map(e -> ((Event.Lifecycle) e).message()).filter(m -> m.startsWith("DFS search: ")).findFirst()
                .orElseThrow();
        assertEquals("DFS search: 4352 genes, sep-cmaes (separable above 1000 genes; search.cmaes: full overrides),"
                + " population 128 (search.population), budget 3 generations (search.budget)", start);
    }
}
