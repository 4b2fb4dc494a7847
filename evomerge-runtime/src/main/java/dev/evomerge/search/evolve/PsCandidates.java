package dev.evomerge.search.evolve;

import dev.evomerge.config.MergeConfig;
import dev.evomerge.config.MergeConfigFile;
import dev.evomerge.config.MergeConfigWriter;
import dev.evomerge.eval.Candidate;
import dev.evomerge.eval.merger.InMemoryMerger;
import dev.evomerge.event.EventListener;
import dev.evomerge.infer.block.Projection;
import dev.evomerge.merge.MergeExecutor;
import dev.evomerge.merge.MergeModels;
import dev.evomerge.merge.MergeOutput;
import dev.evomerge.merge.MergePlan;
import dev.evomerge.merge.MergePlanner;
import dev.evomerge.merge.method.MergeMethod;
import dev.evomerge.merge.method.MergeMethods;
import dev.evomerge.search.space.DataFlowCheckpoint;
import dev.evomerge.search.space.ParameterSpace;
import dev.evomerge.tensor.io.ModelWriter;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Parameter-space candidates: a genome decodes to a mergekit config, which is merged in memory from inputs mapped
 * once for the whole run ({@link MergeModels}) and loaded on the inference engine without writing weights; for an
 * external evaluator it is written to a scratch directory instead.
 */
final class PsCandidates implements CandidateSource {

    private final ParameterSpace space;
    private final MergeModels models;
    private final InMemoryMerger merger;
    private final MergeExecutor.Options mergeOptions;
    private final Path baseDirectory;
    private final Path scratch;
    private final EventListener events;
    private final long parameters;
    private final boolean recipes;

    /**
     * @param merger the in-memory merger, or null when candidates are evaluated from directories
     * @param scratch where candidates for an external evaluator are written
     * @param parameters the parameter count of the first input model (for {@link #candidateBytes})
     */
    PsCandidates(ParameterSpace space, MergeModels models, InMemoryMerger merger, MergeExecutor.Options mergeOptions,
            Path baseDirectory, Path scratch, long parameters, EventListener events) {
        this(space, models, merger, mergeOptions, baseDirectory, scratch, parameters, events, false);
    }

    private PsCandidates(ParameterSpace space, MergeModels models, InMemoryMerger merger,
            MergeExecutor.Options mergeOptions, Path baseDirectory, Path scratch, long parameters,
            EventListener events, boolean recipes) {
        this.space = Objects.requireNonNull(space, "space");
        this.models = Objects.requireNonNull(models, "models");
        this.merger = merger;
        this.mergeOptions = Objects.requireNonNull(mergeOptions, "mergeOptions");
        this.baseDirectory = Objects.requireNonNull(baseDirectory, "baseDirectory");
        this.scratch = Objects.requireNonNull(scratch, "scratch");
        this.events = Objects.requireNonNull(events, "events");
        this.parameters = parameters;
        this.recipes = recipes;
    }

    /** These candidates as recipes, merged where they are evaluated (a cluster's array tasks), not here. */
    PsCandidates asRecipes() {
        return new PsCandidates(space, models, null, mergeOptions, baseDirectory, scratch, parameters, events, true);
    }

    /** time spent writing candidates for a command */
    private final java.util.concurrent.atomic.LongAdder written = new java.util.concurrent.atomic.LongAdder();

    @Override
    public MergeConfig recipe(double[] genome) {
        return space.decode(genome);
    }

    @Override
    public Prepared prepare(String name, double[] genome) {
        MergeConfig config = space.decode(genome);
        if (recipes) {
            // the evaluator merges the recipe itself: nothing is held here
            return Prepared.of(new Candidate.Recipe(name, config, baseDirectory), () -> { });
        }
        if (merger != null) {
            return Prepared.inMemory(name, merger.open(name, config));
        }
        return ScratchCandidate.written(scratch, name, dir -> {
            long start = System.nanoTime();
            write(config, dir, false);
            written.add(System.nanoTime() - start);
        });
    }

    @Override
    public long mergeNanos() {
        return merger != null ? merger.mergeNanos() : written.sum();
    }

    /**
     * In process, a merged model's float32 arrays (reused from candidate to candidate) and its copy on the engine:
     * 8 bytes per parameter of the first input model, 12 where decode steps run on the panel kernel (a model that
     * generates holds its projections once more, {@link Projection}). Written for a command, nothing beyond the
     * merge's own budget.
     */
    @Override
    public long candidateBytes() {
        return merger == null ? 0 : (Projection.panelsAvailable() ? 12 : 8) * parameters;
    }

    @Override
    public void writeModel(double[] genome, Path dir) {
        write(space.decode(genome), dir, true);
    }

    /** @param durable whether the shards reach the disk before the directory is renamed into place */
    private void write(MergeConfig config, Path dir, boolean durable) {
        MergePlan plan = MergePlanner.plan(config, models, events);
        MergeConfigFile file = MergeConfigFile.parse(text(config), dir.resolve("mergekit_config.yml"),
                EventListener.NONE);
        try (ModelWriter out = ModelWriter.create(dir, plan.outputInfos(), DataFlowCheckpoint.DEFAULT_SHARD_BYTES, true)) {
            if (durable) {
                out.durable();
            }
            MergeExecutor.toWriter(plan, out, mergeOptions, EventListener.NONE);
            MergeOutput.writeOtherFiles(plan, file, out.staging(), baseDirectory, EventListener.NONE);
            out.commit();
        }
    }

    @Override
    public String recipeText(double[] genome) {
        return text(space.decode(genome));
    }

    /** Whether the recipe's merge draws random masks (DARE, DELLA). */
    boolean stochastic(MergeConfig config) {
        return MergeMethods.find(config.mergeMethod()).map(MergeMethod::stochastic).orElse(false);
    }

    /** The YAML, headed by the mask seed when the method draws masks. */
    private String text(MergeConfig config) {
        String yaml = MergeConfigWriter.write(config);
        return stochastic(config) ? RunOutputs.maskNote(mergeOptions.seed()) + yaml : yaml;
    }

    @Override
    public void close() {
        // the models and the merger belong to the run
    }
}
