package dev.evomerge.search.evolve;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.evomerge.config.MergeConfig;
import dev.evomerge.config.MergeConfigWriter;
import dev.evomerge.config.ModelSpec;
import dev.evomerge.diag.ConfigException;
import dev.evomerge.diag.EvomergeException;
import dev.evomerge.diag.InputException;
import dev.evomerge.eval.Candidate;
import dev.evomerge.eval.CommandTemplate;
import dev.evomerge.eval.EvaluationOutcome;
import dev.evomerge.eval.Evaluator;
import dev.evomerge.eval.ExternalEvaluator;
import dev.evomerge.eval.InProcessEvaluator;
import dev.evomerge.eval.harness.EvaluationOptions;
import dev.evomerge.eval.harness.TaskRun;
import dev.evomerge.eval.merger.InMemoryMerger;
import dev.evomerge.event.Event;
import dev.evomerge.event.EventListener;
import dev.evomerge.infer.InferenceEngine;
import dev.evomerge.io.AtomicFile;
import dev.evomerge.merge.MergeExecutor;
import dev.evomerge.merge.MergeModels;
import dev.evomerge.merge.MergePlanner;
import dev.evomerge.merge.method.MergeMethod;
import dev.evomerge.merge.method.MergeMethods;
import dev.evomerge.model.Architectures;
import dev.evomerge.model.ModelDirectory;
import dev.evomerge.model.ModelReference;
import dev.evomerge.model.ModelResolver;
import dev.evomerge.search.Xoshiro256;
import dev.evomerge.search.space.DataFlowModel;
import dev.evomerge.search.space.DataFlowSpace;
import dev.evomerge.search.space.GenomeDefinition;
import dev.evomerge.search.space.InitialPoint;
import dev.evomerge.search.space.ParameterSpace;
import dev.evomerge.tensor.io.ExitCleanup;
import dev.evomerge.tensor.io.OwnerFile;
import dev.evomerge.tensor.io.StagedDirectory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * An evolve run from its config to its work directory: the parameter-space stage, the data-flow stage, or both in
 * turn (hybrid), then the outputs — {@code best.yml}, {@code best/}, {@code pareto/} for several objectives,
 * {@code summary.json} — next to {@code history.jsonl} and {@code checkpoint/}.
 *
 * {@snippet :
 * EvolutionResult r = EvolutionRun.run(EvolveConfigReader.read(file, events), workDir, false, resolver, events);
 * }
 *
 * <p>A run killed at any moment and started again with {@code resume} continues from its last completed generation
 * and ends with what the uninterrupted run would have ended with.
 */
public final class EvolutionRun {

    static final String PS = "ps";
    static final String DFS = "dfs";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final EvolveConfig config;
    private final Path work;
    private final ModelResolver resolver;
    private final EventListener events;
    private final EvolveTasks tasks;
    private final InferenceEngine engine;
    private final MergeModels models;
    private final MergeExecutor.Options mergeOptions;
    private final Path scratch;
    private final RemoteEvaluators remote;
    private StageSearch.Context context;
    /** per stage searched in this invocation, where its wall time went (summary.json's time_shares) */
    private final java.util.Map<String, StageTimes.Shares> timeShares = new java.util.LinkedHashMap<>();

    private EvolutionRun(EvolveConfig config, Path work, ModelResolver resolver, EventListener events,
            EvolveTasks tasks, InferenceEngine engine, MergeModels models, MergeExecutor.Options mergeOptions,
            RemoteEvaluators remote) {
        this.config = config;
        this.work = work;
        this.resolver = resolver;
        this.events = events;
        this.tasks = tasks;
        this.engine = engine;
        this.models = models;
        this.mergeOptions = mergeOptions;
        this.scratch = work.resolve("scratch");
        this.remote = remote;
    }

    /**
     * Runs (or resumes) an evolve run.
     *
     * @param workDirectory where the run keeps its state and outputs
     * @param resume whether to continue the run the work directory holds (a directory without one starts afresh)
     * @param resolver resolves model references (relative paths against the config's directory)
     */
    public static EvolutionResult run(EvolveConfig config, Path workDirectory, boolean resume, ModelResolver resolver,
            EventListener events) {
        return run(config, workDirectory, resume, OptionalLong.empty(), resolver, events);
    }

    /**
     * Runs (or resumes) an evolve run for at most {@code generations} more generations: when they are used up before
     * the search ends, the run pauses with its checkpoint written ({@link EvolutionResult#finished()} is false) and
     * a later resume goes on from there, as after a crash.
     */
    public static EvolutionResult run(EvolveConfig config, Path workDirectory, boolean resume,
            OptionalLong generations, ModelResolver resolver, EventListener events) {
        return run(config, workDirectory, resume, false, generations, resolver, events, null);
    }

    /** As {@link #run(EvolveConfig, Path, boolean, boolean, OptionalLong, ModelResolver, EventListener,
     * RemoteEvaluators)} for a config that needs no remote evaluators. */
    public static EvolutionResult run(EvolveConfig config, Path workDirectory, boolean resume, boolean force,
            OptionalLong generations, ModelResolver resolver, EventListener events) {
        return run(config, workDirectory, resume, force, generations, resolver, events, null);
    }

    /**
     * Runs (or resumes) an evolve run; a resume whose inputs ({@link RunInputs}) differ from the run's is refused
     * unless {@code force}, which resumes anyway and records what changed. {@code remote} supplies the evaluators
     * of {@code evaluation.mode: slurm} (the layer above has them), or is null when the config needs none.
     */
    public static EvolutionResult run(EvolveConfig config, Path workDirectory, boolean resume, boolean force,
            OptionalLong generations, ModelResolver resolver, EventListener events, RemoteEvaluators remote) {
        if (config.evaluation().mode() == EvaluationSettings.Mode.SLURM && remote == null) {
            throw new IllegalArgumentException("evaluation mode slurm needs its evaluators");
        }
        Path work = workDirectory.toAbsolutePath().normalize();
        boolean existed = Files.isDirectory(work);
        try {
            Files.createDirectories(work);
        } catch (IOException e) {
            throw new InputException(work, "cannot be created (" + e.getMessage() + ")", "choose a writable work"
                    + " directory");
        }
        // one run at a time in a work directory, for its whole life; what a killed run left is removed
        Path scratch = work.resolve("scratch");
        try (OwnerFile owner = OwnerFile.claimDirectory(work, events);
                ExitCleanup.Registration onExit = ExitCleanup.register(
                        () -> StagedDirectory.deleteRecursively(scratch))) {
            StagedDirectory.removeStale(work.resolve("best"));
            StagedDirectory.removeStale(work.resolve("ps").resolve("best"));
            StagedDirectory.deleteRecursively(scratch); // candidates a killed run was writing
            return runOwned(config, work, resume, force, generations, resolver, events, remote);
        } finally {
            if (!existed) {
                removeIfEmpty(work);
            }
        }
    }

    private static void removeIfEmpty(Path dir) {
        try (var left = Files.list(dir)) {
            if (left.findAny().isEmpty()) {
                Files.delete(dir);
            }
        } catch (IOException e) {
            // best effort: the original outcome is what the user needs to see
        }
    }

    private static EvolutionResult runOwned(EvolveConfig config, Path work, boolean resume, boolean force,
            OptionalLong generations, ModelResolver resolver, EventListener events, RemoteEvaluators remote) {
        long start = System.nanoTime();
        String fingerprint = fingerprint(config);
        Optional<RunInputs> started = RunInputs.read(work);
        Optional<Checkpoint> checkpoint = prepare(config, work, resume, fingerprint,
                force || started.isPresent(), events);
        EvolveTasks tasks = EvolveTasks.load(config, events);
        RunInputs inputs = RunInputs.of(config, tasks, resolver);
        List<String> changes = checkpoint.isPresent() && started.isPresent() ? inputs.changesSince(started.get())
                : List.of();
        if (!changes.isEmpty() && !force) {
            throw new InputException(work, "holds a run that started from other inputs: " + changes.getFirst()
                    + (changes.size() > 1 ? " (and " + (changes.size() - 1) + " more)" : ""),
                    "resume with the inputs it started with, or pass --force (Maven: -Devomerge.force=true) to"
                            + " resume anyway");
        }
        for (String change : changes) {
            events.warn("resuming with --force although " + change);
        }
        inputs.write(work, changes);
        EvaluationSettings evaluation = config.evaluation();
        boolean inProcess = evaluation.mode() == EvaluationSettings.Mode.IN_PROCESS;
        int threads = evaluation.threads();
        int perCandidate = Math.max(1, Runtime.getRuntime().availableProcessors() / threads);
        MergeExecutor.Options mergeOptions = new MergeExecutor.Options(config.search().seed(), perCandidate,
                Math.max(64L << 20, Runtime.getRuntime().maxMemory() / (4L * threads)));
        try (MergeModels models = new MergeModels(resolver, Architectures.builtIn());
                InferenceEngine engine = inProcess ? InferenceEngine.cpu(perCandidate) : null;
                History history = History.open(work.resolve("history.jsonl"),
                        checkpoint.map(Checkpoint::historyBytes).orElse(0L));
                ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            EvolutionRun run = new EvolutionRun(config, work, resolver, events, tasks, engine, models, mergeOptions,
                    remote);
            MemoryGate memory = new MemoryGate(evaluation.memoryBudget().orElse(Runtime.getRuntime().maxMemory()));
            run.context = new StageSearch.Context(config, tasks, history, pool, memory, run.evaluators(), work,
                    fingerprint,
                    new StageSearch.GenerationAllowance(generations.orElse(-1)), events);
            try {
                return run.execute(checkpoint, start);
            } catch (StageSearch.Paused paused) {
                return EvolutionResult.paused(work, history.records().size(),
                        Duration.ofNanos(System.nanoTime() - start));
            }
        } catch (RuntimeException | Error e) {
            if (checkpoint.isEmpty()) {
                removeIfNothingStarted(work);
            }
            throw e;
        } finally {
            StagedDirectory.deleteRecursively(work.resolve("scratch"));
        }
    }

    /** A new run that failed before its first checkpoint leaves nothing behind. */
    private static void removeIfNothingStarted(Path work) {
        try {
            Path history = work.resolve("history.jsonl");
            if (!Files.exists(Checkpoint.file(work)) && Files.exists(history) && Files.size(history) == 0) {
                Files.delete(history);
                Files.deleteIfExists(RunInputs.file(work));
                Files.deleteIfExists(RunInputs.file(work).getParent());
                try (var left = Files.list(work)) {
                    if (left.findAny().isEmpty()) {
                        Files.delete(work);
                    }
                }
            }
        } catch (IOException e) {
            // best effort: the original failure is what the user needs to see
        }
    }

    private EvolutionResult execute(Optional<Checkpoint> checkpoint, long start) {
        Set<ModelDirectory> sources = new LinkedHashSet<>();
        List<Map.Entry<String, ObjectNode>> ablations = new ArrayList<>();
        CandidateSource last;
        StageSearch.Outcome outcome;
        List<ObjectNode> untuned = new ArrayList<>();
        Optional<String> psResult = checkpoint.flatMap(Checkpoint::psResult);
        long psEvaluations = 0;
        EvolveConfig.Stages stages = config.stages();
        try (InMemoryMerger merger = engine == null ? null
                : new InMemoryMerger(models, engine, mergeOptions, config.evaluation().batchSize(), quiet())) {
            PsCandidates ps = null;
            ParameterSpace psSpace = null;
            StageSearch.Outcome psOutcome = null;
            if (stages != EvolveConfig.Stages.DFS) {
                GenomeDefinition genome = config.genome().orElseThrow();
                List<ModelSpec> inputs = new ArrayList<>(genome.models());
                genome.baseModel().ifPresent(inputs::add);
                inputs.forEach(m -> sources.add(directory(m.reference())));
                psSpace = ParameterSpace.of(genome, directory(inputs.getFirst().reference()).layerCount());
                ps = new PsCandidates(psSpace, models, merger, mergeOptions, config.file().toAbsolutePath().getParent(),
                        scratch, parameters(directory(inputs.getFirst().reference())), quiet());
                if (config.evaluation().mode() == EvaluationSettings.Mode.SLURM) {
                    ps = ps.asRecipes();
                }
                checkPlannable(genome, psSpace);
                StageSearch search = new StageSearch(context, PS, 0, psSpace, ps, null);
                boolean psOver = checkpoint.map(c -> c.stage().equals(DFS)).orElse(false);
                psOutcome = psOver ? search.choose(context.history().records(PS).size(), List.of())
                        : search.run(psSpace.initialPoint(config.search().initial(),
                                Xoshiro256.derived(config.search().seed(), "initial", 0)), checkpoint, 0,
                                Optional.empty());
                psEvaluations = psOutcome.evaluations();
                search.timeShares().ifPresent(t -> timeShares.put(PS, t));
                untuned.add(scoreGenome("untuned merge", ps, psSpace.initialPoint(InitialPoint.MERGEKIT, null)));
            }
            if (stages == EvolveConfig.Stages.PS) {
                last = ps;
                outcome = psOutcome;
            } else {
                if (stages == EvolveConfig.Stages.HYBRID && psResult.isEmpty()) {
                    Path dir = work.resolve("ps").resolve("best");
                    events.lifecycle("Writing the PS result to " + dir);
                    ps.writeModel(psOutcome.chosen().search().genome(), dir);
                    AtomicFile.write(work.resolve("ps").resolve("best.yml"),
                            ps.recipeText(psOutcome.chosen().search().genome()));
                    psResult = Optional.of("ps/best");
                    new Checkpoint(context.fingerprint(), DFS, Optional.empty(), 0, psEvaluations,
                            context.history().size(), psResult).write(work);
                }
                DfsSection section = config.dfs().orElseThrow();
                List<ModelDirectory> directories = new ArrayList<>();
                for (DfsSection.Entry e : section.models()) {
                    ModelDirectory d = e.isPsResult() ? directory(ModelReference.of(work.resolve(psResult.orElseThrow())
                            .toString())) : directory(e.model().orElseThrow().reference());
                    directories.add(d);
                    if (!e.isPsResult()) {
                        sources.add(d);
                    }
                }
                DataFlowSpace space = DataFlowSpace.of(directories.stream().map(DataFlowModel::of).toList(),
                        section.settings());
                DfsCandidates dfs = engine == null ? DfsCandidates.written(space, directories, scratch, quiet())
                        : DfsCandidates.inProcess(space, directories, engine, config.evaluation().batchSize(), scratch,
                                events);
                last = dfs;
                StageSearch search = new StageSearch(context, DFS, 1, space, dfs,
                        config.search().pathLengthObjective() ? dfs::pathLength : null);
                outcome = search.run(space.initialPoint(config.search().sigma0()),
                        checkpoint.filter(c -> c.stage().equals(DFS)), psEvaluations, psResult);
                // the paper's Table 1 rows beside the chosen recipe: the PS stage's own result, and the chosen
                // path with every scale set to 1
                if (stages == EvolveConfig.Stages.HYBRID) {
                    ablations.add(Map.entry("ps", scoreGenome("ps", ps, psOutcome.chosen().search().genome())));
                }
                if (space.scaleGenes() > 0) {
                    double[] unit = outcome.chosen().search().genome().clone();
                    Arrays.fill(unit, space.slots(), space.dimension(), 1.0);
                    ablations.add(Map.entry("best_unit_scales", scoreGenome("best with every scale 1", dfs, unit)));
                }
                search.timeShares().ifPresent(t -> timeShares.put(DFS, t));
            }
            try {
                return finish(last, outcome, sources, untuned, ablations, start);
            } finally {
                last.close();
            }
        }
    }

    private EvolutionResult finish(CandidateSource source, StageSearch.Outcome outcome, Set<ModelDirectory> sources,
            List<ObjectNode> untuned, List<Map.Entry<String, ObjectNode>> ablations, long start) {
        double[] genome = outcome.chosen().search().genome();
        Path bestYml = work.resolve("best.yml");
        Path best = work.resolve("best");
        MergeConfig recipe = source.recipe(genome);
        boolean stochastic = MergeMethods.find(recipe.mergeMethod()).map(MergeMethod::stochastic).orElse(false);
        long maskSeed = mergeOptions.seed();
        AtomicFile.write(bestYml, source.recipeText(genome));
        events.lifecycle("Writing the chosen recipe's model to " + best);
        source.writeModel(genome, best);
        if (tasks.multiObjective() || config.search().pathLengthObjective()) {
            writePareto(source, outcome);
        }
        ObjectNode summary = JSON.createObjectNode();
        summary.put("config", config.file().toString());
        summary.put("stages", config.stages().name().toLowerCase(Locale.ROOT));
        config.genome().ifPresent(g -> summary.put("merge_method", g.mergeMethod()));
        summary.put("evaluations", context.history().records().size());
        ObjectNode sourceScores = summary.putObject("sources");
        for (ModelDirectory d : sources) {
            sourceScores.set(d.model().reference().toString(), scoreOnRoles(d.model().reference().toString(),
                    name -> directoryCandidate(name, d.directory())));
        }
        if (!untuned.isEmpty()) {
            summary.set("untuned_merge", untuned.getFirst());
        }
        if (stochastic) {
            summary.put("mask_seed", maskSeed);
            summary.put("mask_note", "the scores were measured with the DARE/DELLA masks of seed " + maskSeed
                    + ", as best/ holds them; evomerge merge best.yml OUT_DIR --seed " + maskSeed + " reproduces"
                    + " best/ byte for byte; mergekit draws other masks, so its merge of best.yml is another model");
        }
        ObjectNode chosen = scoreGenome("best", source, genome);
        chosen.put("recipe", outcome.chosen().search().recipe());
        History.putNumber(chosen, "search_fitness_on_subset", outcome.chosen().search().fitness());
        summary.set("best", chosen);
        ObjectNode selection = summary.putObject("selection");
        selection.put("rule", outcome.selection());
        selection.put("validated", outcome.finalists().size());
        selection.put("chosen_generation", outcome.chosen().search().generation());
        if (outcome.selection().equals(StageSearch.PER_GENERATION)) {
            selection.put("chosen_snapshot", outcome.chosen().snapshot());
            ArrayNode snapshots = selection.putArray("snapshots");
            for (StageSearch.Finalist f : outcome.finalists()) {
                ObjectNode o = snapshots.addObject();
                o.put("generation", f.search().generation());
                o.put("snapshot", f.snapshot());
                o.put("recipe", f.search().recipe());
                History.putNumber(o, "search_fitness_on_subset", f.search().fitness());
                History.putNumber(o, "validation_fitness", f.validationFitness());
            }
        }
        History.putNumber(selection, "chosen_validation_fitness", outcome.chosen().validationFitness());
        List<String> forced = RunInputs.forced(work);
        if (!forced.isEmpty()) {
            forced.forEach(summary.putArray("forced_resume")::add);
        }
        ablations.forEach(a -> summary.set(a.getKey(), a.getValue()));
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        summary.put("wall_seconds", Math.round(elapsed.toMillis() / 100.0) / 10.0);
        ObjectNode shares = summary.putObject("time_shares");
        timeShares.forEach((stage, t) -> shares.set(stage, t.toJson()));
        AtomicFile.write(work.resolve("summary.json"), toJson(summary));
        events.lifecycle(String.format(Locale.ROOT, "Best recipe: %s (validation fitness %.4f); %d evaluations in"
                + " %.1f s", bestYml, outcome.chosen().validationFitness(), context.history().records().size(),
                elapsed.toMillis() / 1000.0));
        return new EvolutionResult(work, bestYml, best, outcome.chosen().validation(),
                outcome.chosen().validationFitness(), context.history().records().size(), elapsed, true);
    }

    /** The comment heading a stochastic recipe: which masks its scores and {@code best/} have. */
    static String maskNote(long seed) {
        return "# evomerge: DARE/DELLA masks drawn with seed " + seed + ". The scores and best/ were measured with\n"
                + "# them: `evomerge merge best.yml OUT_DIR --seed " + seed + "` reproduces best/ byte for byte.\n"
                + "# mergekit draws its masks with another generator: its merge of this recipe is another model.\n";
    }

    private void writePareto(CandidateSource source, StageSearch.Outcome outcome) {
        Path staging = work.resolve("pareto.tmp");
        StagedDirectory.deleteRecursively(staging);
        ArrayNode front = JSON.createArrayNode();
        int i = 0;
        for (StageSearch.Finalist f : outcome.finalists()) {
            i++;
            String name = String.format(Locale.ROOT, "%02d.yml", i);
            AtomicFile.write(staging.resolve(name), source.recipeText(f.search().genome()));
            ObjectNode o = front.addObject();
            o.put("recipe", name);
            o.put("hash", f.search().recipe());
            o.set("objectives", History.numbers(f.search().objectives()));
            o.set("search", History.scores(f.search().scores().orElseThrow()));
            o.set("validation", History.scores(f.validation()));
            History.putNumber(o, "validation_fitness", f.validationFitness());
        }
        AtomicFile.write(staging.resolve("pareto.json"), toJson(front));
        Path target = work.resolve("pareto");
        StagedDirectory.deleteRecursively(target);
        try {
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target, e);
        }
    }

    private ObjectNode scoreGenome(String name, CandidateSource source, double[] genome) {
        return scoreOnRoles(name, n -> source.prepare(n, genome));
    }

    /** A candidate's scores and fitness on the search split (all documents), the validation and the test split. */
    private ObjectNode scoreOnRoles(String name, Function<String, CandidateSource.Prepared> prepare) {
        ObjectNode roles = JSON.createObjectNode();
        for (EvolveTasks.Role role : EvolveTasks.Role.values()) {
            if (role == EvolveTasks.Role.TEST && !tasks.hasTest()) {
                continue;
            }
            Evaluator evaluator = context.evaluators().apply(tasks.runs(role));
            ObjectNode o = roles.putObject(role.name().toLowerCase(Locale.ROOT));
            String candidate = name + " (" + role.name().toLowerCase(Locale.ROOT) + ")";
            try (CandidateSource.Prepared p = prepare.apply(candidate)) {
                EvaluationOutcome outcome = evaluator.evaluate(p.candidate());
                if (outcome instanceof EvaluationOutcome.Scored s) {
                    o.set("scores", History.scores(s.scores()));
                    History.putNumber(o, "fitness", tasks.fitness().of(s.scores()));
                } else {
                    o.put("error", ((EvaluationOutcome.Failed) outcome).reason());
                }
            } catch (RuntimeException e) {
                o.put("error", StageSearch.describe(e));
            }
        }
        return roles;
    }

    private static CandidateSource.Prepared directoryCandidate(String name, Path dir) {
        return new CandidateSource.Prepared() {
            @Override
            public Candidate candidate() {
                return new Candidate.Directory(name, dir);
            }

            @Override
            public void close() {
            }
        };
    }

    private Function<List<TaskRun>, Evaluator> evaluators() {
        EvaluationSettings e = config.evaluation();
        if (config.search().subset().isPresent() && e.command().isPresent()
                && !CommandTemplate.parse(e.command().get()).usesSamples()) {
            events.warn("search.subset is set, but the evaluation command does not use " + CommandTemplate.SAMPLES
                    + ": it scores every document of its tasks in each generation; pass the file of the documents"
                    + " to score, e.g. lm_eval ... --samples " + CommandTemplate.SAMPLES,
                    config.search().locationOf("subset"));
        }
        if (e.mode() == EvaluationSettings.Mode.SLURM) {
            // its retries are warnings the user should see
            return runs -> remote.create(config, runs, tasks.fitness().objectives(), work, events);
        }
        if (e.mode() == EvaluationSettings.Mode.COMMAND) {
            ExternalEvaluator external = new ExternalEvaluator(CommandTemplate.parse(e.command().orElseThrow()),
                    e.timeout(), scratch.resolve("eval"), tasks.fitness().objectives(),
                    tasks.runs(EvolveTasks.Role.SEARCH), quiet());
            return external::withRuns;
        }
        InProcessEvaluator base = new InProcessEvaluator(engine, tasks.runs(EvolveTasks.Role.SEARCH), e.batchSize(),
                EvaluationOptions.defaults(quiet()));
        return base::withRuns;
    }

    /** Events of single evaluations and merges, kept to warnings (as debug lines) so a run's log stays readable. */
    private EventListener quiet() {
        return event -> {
            if (event instanceof Event.Warning w) {
                events.debug(w.message());
            } else if (event instanceof Event.Debug) {
                events.on(event);
            }
        };
    }

    /** Plans the untuned merge once, so that a genome mergekit cannot merge fails now and not in every candidate. */
    private void checkPlannable(GenomeDefinition genome, ParameterSpace space) {
        try {
            MergePlanner.plan(space.decode(space.initialPoint(InitialPoint.MERGEKIT, null)), models, quiet());
        } catch (EvomergeException e) {
            throw new ConfigException(genome.location(), "the genome's merge cannot be planned: " + e.getMessage(),
                    "check the genome's models, base_model and merge_method against mergekit-semantics");
        }
    }

    private static long parameters(ModelDirectory model) {
        try (var weights = model.openWeights()) {
            long n = 0;
            for (String name : weights.names()) {
                n += weights.info(name).orElseThrow().numel();
            }
            return n;
        }
    }

    private ModelDirectory directory(ModelReference reference) {
        return ModelDirectory.load(resolver.resolve(reference), Architectures.builtIn());
    }

    /**
     * @param inputsChecked whether the run's recorded inputs decide instead of the config's fingerprint (a run
     *     that recorded them, or a forced resume)
     */
    private static Optional<Checkpoint> prepare(EvolveConfig config, Path work, boolean resume, String fingerprint,
            boolean inputsChecked, EventListener events) {
        Optional<Checkpoint> checkpoint = Checkpoint.read(work);
        if (checkpoint.isPresent() && !resume) {
            throw new InputException(work, "holds an evolve run already (checkpoint/state.bin)",
                    "resume it with --resume (Maven: -Devomerge.resume=true), or use another work directory");
        }
        if (checkpoint.isPresent() && !inputsChecked && !checkpoint.get().fingerprint().equals(fingerprint)) {
            throw new InputException(config.file(), "differs from the config (or seed) the run in " + work
                    + " started with", "resume with the config and seed it started with, or use another work"
                            + " directory");
        }
        if (resume && checkpoint.isEmpty()) {
            events.lifecycle("No checkpoint in " + work + ": starting a new run");
        }
        try {
            Files.createDirectories(work);
        } catch (IOException e) {
            throw new InputException(work, "cannot be created (" + e.getMessage() + ")", "choose a writable work"
                    + " directory");
        }
        return checkpoint;
    }

    static String fingerprint(EvolveConfig config) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(Files.readAllBytes(config.file()));
            sha.update(("\nseed=" + config.search().seed()).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + config.file(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String toJson(Object node) {
        try {
            return JSON.writeValueAsString(node) + "\n";
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode " + node.getClass().getSimpleName() + " as JSON", e);
        }
    }
}
