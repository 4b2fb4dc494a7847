package dev.evomerge.search.evolve;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.evomerge.config.ModelSpec;
import dev.evomerge.diag.ConfigException;
import dev.evomerge.diag.EvomergeException;
import dev.evomerge.eval.merger.InMemoryMerger;
import dev.evomerge.event.EventListener;
import dev.evomerge.infer.InferenceEngine;
import dev.evomerge.io.AtomicFile;
import dev.evomerge.merge.MergeExecutor;
import dev.evomerge.merge.MergeModels;
import dev.evomerge.merge.MergePlanner;
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
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The stages of an evolve run in turn: the parameter-space stage, the data-flow stage, or both (hybrid, the PS
 * result written as a model the data-flow stage's paths take layers from), then the outputs ({@link RunOutputs}).
 */
final class RunStages {

    private final StageSearch.Context context;
    private final ModelResolver resolver;
    private final Optional<InferenceEngine> engine;
    private final MergeModels models;
    private final MergeExecutor.Options mergeOptions;
    private final Path scratch;
    private final EventListener quiet;
    private final RunOutputs outputs;

    /**
     * @param engine the inference engine when candidates are evaluated in this process
     * @param quiet where single merges' and evaluations' messages go
     */
    RunStages(StageSearch.Context context, ModelResolver resolver, Optional<InferenceEngine> engine,
            MergeModels models, MergeExecutor.Options mergeOptions, Path scratch, EventListener quiet) {
        this.context = context;
        this.resolver = resolver;
        this.engine = engine;
        this.models = models;
        this.mergeOptions = mergeOptions;
        this.scratch = scratch;
        this.quiet = quiet;
        this.outputs = new RunOutputs(context);
    }

    /** Runs (or resumes) the stages and writes the outputs, or pauses; {@code start} as {@link System#nanoTime}. */
    EvolutionResult execute(Optional<Checkpoint> checkpoint, long start) {
        EvolveConfig config = context.config();
        Path work = context.workDirectory();
        Set<ModelDirectory> sources = new LinkedHashSet<>();
        List<Map.Entry<String, ObjectNode>> ablations = new ArrayList<>();
        List<ObjectNode> untuned = new ArrayList<>();
        Map<Stage, StageTimes.Shares> timeShares = new LinkedHashMap<>();
        Optional<String> psResult = checkpoint.flatMap(Checkpoint::psResult);
        long psEvaluations = 0;
        EvolveConfig.Stages stages = config.stages();
        // every PS candidate decodes the same inputs: up to 1/16 of the heap of them are decoded once
        try (InMemoryMerger merger = engine.map(e -> new InMemoryMerger(models, e, mergeOptions,
                config.evaluation().batchSize(), Runtime.getRuntime().maxMemory() / 16, quiet)).orElse(null)) {
            PsCandidates ps = null;
            StageSearch.Outcome psOutcome = null;
            if (stages != EvolveConfig.Stages.DFS) {
                GenomeDefinition genome = config.genome().orElseThrow();
                List<ModelSpec> inputs = new ArrayList<>(genome.models());
                genome.baseModel().ifPresent(inputs::add);
                inputs.forEach(m -> sources.add(directory(m.reference())));
                ParameterSpace psSpace = ParameterSpace.of(genome, directory(inputs.getFirst().reference())
                        .layerCount());
                ps = new PsCandidates(psSpace, models, merger, mergeOptions, config.file().toAbsolutePath()
                        .getParent(), scratch, parameters(directory(inputs.getFirst().reference())), quiet);
                if (config.evaluation().mode() == EvaluationSettings.Mode.SLURM) {
                    ps = ps.asRecipes();
                }
                checkPlannable(genome, psSpace);
                StageSearch search = new StageSearch(context, Stage.PS, psSpace, ps, Optional.empty());
                boolean psOver = checkpoint.map(c -> c.stage() == Stage.DFS).orElse(false);
                if (psOver) {
                    // resumed after the PS stage: its result is the model written to psResult
                    psEvaluations = checkpoint.orElseThrow().earlierEvaluations();
                } else {
                    StageSearch.Result r = search.run(psSpace.initialPoint(config.search().initial(),
                            Xoshiro256.derived(config.search().seed(), "initial", 0)), checkpoint, 0,
                            Optional.empty());
                    if (!(r instanceof StageSearch.Finished done)) {
                        ps.close();
                        return paused(start);
                    }
                    psOutcome = done.outcome();
                    timeShares.put(Stage.PS, done.times());
                    psEvaluations = psOutcome.evaluations();
                }
                untuned.add(outputs.scoreGenome("untuned merge", ps, psSpace.initialPoint(InitialPoint.MERGEKIT,
                        null)));
            }
            CandidateSource last;
            StageSearch.Outcome outcome;
            if (stages == EvolveConfig.Stages.PS) {
                last = ps;
                outcome = psOutcome;
            } else {
                if (stages == EvolveConfig.Stages.HYBRID && psResult.isEmpty()) {
                    Path dir = work.resolve("ps").resolve("best");
                    context.events().lifecycle("Writing the PS result to " + dir);
                    ps.writeModel(psOutcome.chosen().search().genome(), dir);
                    AtomicFile.write(work.resolve("ps").resolve("best.yml"),
                            ps.recipeText(psOutcome.chosen().search().genome()));
                    psResult = Optional.of("ps/best");
                    new Checkpoint(context.fingerprint(), Stage.DFS, Optional.empty(), 0, psEvaluations,
                            context.history().size(), psResult).write(work);
                }
                if (merger != null) {
                    merger.dropDecodedInputs(); // the data-flow stage merges nothing in memory
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
                DfsCandidates dfs = engine.isEmpty() ? DfsCandidates.written(space, directories, scratch, quiet)
                        : DfsCandidates.inProcess(space, directories, engine.get(), config.evaluation().batchSize(),
                                scratch, context.events());
                last = dfs;
                StageSearch search = new StageSearch(context, Stage.DFS, space, dfs,
                        config.search().pathLengthObjective() ? Optional.of(dfs::pathLength) : Optional.empty());
                StageSearch.Result r = search.run(space.initialPoint(config.search().sigma0(Stage.DFS)),
                        checkpoint.filter(c -> c.stage() == Stage.DFS), psEvaluations, psResult);
                if (!(r instanceof StageSearch.Finished done)) {
                    dfs.close();
                    return paused(start);
                }
                outcome = done.outcome();
                timeShares.put(Stage.DFS, done.times());
                // the paper's Table 1 rows beside the chosen recipe: the PS stage's own result, and the chosen
                // path with every scale set to 1
                if (stages == EvolveConfig.Stages.HYBRID) {
                    ablations.add(Map.entry("ps", psOutcome == null
                            ? outputs.scoreModel("ps", work.resolve(psResult.orElseThrow()))
                            : outputs.scoreGenome("ps", ps, psOutcome.chosen().search().genome())));
                }
                if (space.scaleGenes() > 0) {
                    double[] unit = outcome.chosen().search().genome().clone();
                    Arrays.fill(unit, space.slots(), space.dimension(), 1.0);
                    ablations.add(Map.entry("best_unit_scales", outputs.scoreGenome("best with every scale 1", dfs,
                            unit)));
                }
            }
            try {
                return outputs.finish(new RunOutputs.Stages(last, outcome, sources, untuned, ablations, timeShares),
                        start);
            } finally {
                last.close();
            }
        }
    }

    private EvolutionResult paused(long start) {
        return EvolutionResult.paused(context.workDirectory(), context.history().records().size(),
                Duration.ofNanos(System.nanoTime() - start));
    }

    /** Plans the untuned merge once, so that a genome mergekit cannot merge fails now and not in every candidate. */
    private void checkPlannable(GenomeDefinition genome, ParameterSpace space) {
        try {
            MergePlanner.plan(space.decode(space.initialPoint(InitialPoint.MERGEKIT, null)), models, quiet);
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
}
