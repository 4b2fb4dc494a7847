package dev.evomerge.search.evolve;

import dev.evomerge.config.MergeConfig;
import dev.evomerge.dataflow.LayerPath;
import dev.evomerge.eval.lm.InProcessLanguageModel;
import dev.evomerge.event.EventListener;
import dev.evomerge.infer.CausalLm;
import dev.evomerge.infer.InferenceEngine;
import dev.evomerge.infer.LoadedModel;
import dev.evomerge.infer.Tokenizer;
import dev.evomerge.model.ModelDirectory;
import dev.evomerge.search.space.DataFlowCheckpoint;
import dev.evomerge.search.space.DataFlowSpace;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Data-flow candidates: a genome decodes to a layer path that runs over the models' layers, loaded once for the
 * whole stage and shared by every candidate (no copies), with model A's tokenizer; for an external evaluator the
 * path is written as a checkpoint into a scratch directory instead.
 */
final class DfsCandidates implements CandidateSource {

    private final DataFlowSpace space;
    private final List<ModelDirectory> directories;
    private final List<LoadedModel> loaded;
    private final Tokenizer tokenizer;
    private final int batchSize;
    private final Path scratch;
    private final EventListener events;

    private DfsCandidates(DataFlowSpace space, List<ModelDirectory> directories, List<LoadedModel> loaded,
            Tokenizer tokenizer, int batchSize, Path scratch, EventListener events) {
        this.space = space;
        this.directories = List.copyOf(directories);
        this.loaded = loaded;
        this.tokenizer = tokenizer;
        this.batchSize = batchSize;
        this.scratch = Objects.requireNonNull(scratch, "scratch");
        this.events = Objects.requireNonNull(events, "events");
    }

    /** Candidates evaluated in this process: every model is loaded on {@code engine} now. */
    static DfsCandidates inProcess(DataFlowSpace space, List<ModelDirectory> directories, InferenceEngine engine,
            int batchSize, Path scratch, EventListener events) {
        List<LoadedModel> loaded = new ArrayList<>();
        Tokenizer tokenizer = null;
        try {
            for (ModelDirectory d : directories) {
                events.lifecycle("Loading " + d.directory() + " for the data-flow search");
                loaded.add(engine.load(d.directory()));
            }
            tokenizer = Tokenizer.load(directories.getFirst().directory());
            return new DfsCandidates(space, directories, List.copyOf(loaded), tokenizer, batchSize, scratch, events);
        } catch (RuntimeException e) {
            loaded.forEach(LoadedModel::close);
            throw e;
        }
    }

    /** Candidates written out for an external evaluator. */
    static DfsCandidates written(DataFlowSpace space, List<ModelDirectory> directories, Path scratch,
            EventListener events) {
        return new DfsCandidates(space, directories, null, null, 1, scratch, events);
    }

    /** time spent writing candidates for a command */
    private final java.util.concurrent.atomic.LongAdder written = new java.util.concurrent.atomic.LongAdder();

    @Override
    public long mergeNanos() {
        return written.sum();
    }

    @Override
    public MergeConfig recipe(double[] genome) {
        return space.recipe(space.decode(genome));
    }

    @Override
    public Prepared prepare(String name, double[] genome) {
        LayerPath path = space.decode(genome);
        if (loaded == null) {
            return ScratchCandidate.written(scratch, name, dir -> {
                long start = System.nanoTime();
                DataFlowCheckpoint.write(path, directories, dir, true);
                written.add(System.nanoTime() - start);
            });
        }
        CausalLm lm = CausalLm.of(loaded, path);
        InProcessLanguageModel model = InProcessLanguageModel.of(name, lm, tokenizer,
                directories.getFirst().directory(), batchSize, events);
        return Prepared.inMemory(name, model);
    }

    @Override
    public void writeModel(double[] genome, Path dir) {
        DataFlowCheckpoint.write(space.decode(genome), directories, dir, true);
    }

    /** The number of steps of a genome's path (an objective to minimise when asked for). */
    int pathLength(double[] genome) {
        return space.pathLength(genome);
    }

    @Override
    public void close() {
        if (loaded != null) {
            loaded.forEach(LoadedModel::close);
            tokenizer.close();
        }
    }
}
