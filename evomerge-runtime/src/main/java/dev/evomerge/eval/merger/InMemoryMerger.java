package dev.evomerge.eval.merger;

import dev.evomerge.config.MergeConfig;
import dev.evomerge.eval.lm.InProcessLanguageModel;
import dev.evomerge.event.EventListener;
import dev.evomerge.infer.CausalLm;
import dev.evomerge.infer.InferenceEngine;
import dev.evomerge.infer.LoadedModel;
import dev.evomerge.infer.Tokenizer;
import dev.evomerge.merge.MergeBuffers;
import dev.evomerge.merge.MergeExecutor;
import dev.evomerge.merge.MergeModels;
import dev.evomerge.merge.MergeOutput;
import dev.evomerge.merge.MergePlan;
import dev.evomerge.merge.MergePlanner;
import dev.evomerge.merge.MergedFloats;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Merges configs in memory and loads the results on the inference engine, never writing weights: what
 * {@code evomerge evaluate --config} and every parameter-space candidate of an evolve run go through. The inputs are
 * the caller's {@link MergeModels} (mapped once); the merged model gets the {@code config.json} and the tokenizer
 * the written output would have. Tokenizers are loaded once per donor directory and shared; the arrays a merge
 * decodes into and merges in are reused by the next, and the inputs' decoded values are kept within a budget
 * ({@link MergeBuffers}).
 *
 * <p>Thread-safe.
 */
public final class InMemoryMerger implements AutoCloseable {

    private final MergeModels models;
    private final InferenceEngine engine;
    private final MergeExecutor.Options options;
    private final int batchSize;
    private final EventListener events;
    private final Map<Path, Tokenizer> tokenizers = new HashMap<>();
    private final MergeBuffers buffers;
    private final java.util.concurrent.atomic.LongAdder mergeNanos = new java.util.concurrent.atomic.LongAdder();

    /**
     * @param models the inputs (the caller's)
     * @param engine the engine merged models are loaded on (the caller's)
     * @param options seed, threads and memory budget of each merge
     * @param batchSize requests per forward pass of the loaded models
     * @param decodedBudget bytes of the inputs' decoded values kept for later merges (0 for one merge)
     */
    public InMemoryMerger(MergeModels models, InferenceEngine engine, MergeExecutor.Options options, int batchSize,
            long decodedBudget, EventListener events) {
        this.models = Objects.requireNonNull(models, "models");
        this.engine = Objects.requireNonNull(engine, "engine");
        this.options = Objects.requireNonNull(options, "options");
        this.batchSize = batchSize;
        this.buffers = new MergeBuffers(decodedBudget);
        this.events = Objects.requireNonNull(events, "events");
    }

    /**
     * Plans and merges {@code config} in memory and loads the result; the caller closes it.
     *
     * @throws dev.evomerge.diag.EvomergeException for a config the planner refuses
     */
    public InProcessLanguageModel open(String name, MergeConfig config) {
        MergePlan plan = MergePlanner.plan(config, models, events);
        Path donor = MergeOutput.tokenizerDonor(plan);
        LoadedModel loaded;
        long start = System.nanoTime();
        try (MergedFloats tensors = MergeExecutor.toMemory(plan, options, events, buffers)) {
            mergeNanos.add(System.nanoTime() - start);
            loaded = engine.load(tensors.tensors(), plan.outputConfig());
        }
        try {
            return InProcessLanguageModel.owning(name, CausalLm.of(loaded), tokenizer(donor), donor, batchSize,
                    events, List.of(loaded));
        } catch (RuntimeException e) {
            loaded.close();
            throw e;
        }
    }

    /** Drops the inputs' decoded values kept so far (a later merge decodes and keeps them again). */
    public void dropDecodedInputs() {
        buffers.dropDecoded();
    }

    /** Nanoseconds spent merging (planning and merging, not loading), summed over all calls so far. */
    public long mergeNanos() {
        return mergeNanos.sum();
    }

    private synchronized Tokenizer tokenizer(Path donor) {
        return tokenizers.computeIfAbsent(donor, Tokenizer::load);
    }

    @Override
    public synchronized void close() {
        tokenizers.values().forEach(Tokenizer::close);
        tokenizers.clear();
        buffers.clear();
    }

    /** The arrays merges take and give back (tests). */
    MergeBuffers buffers() {
        return buffers;
    }
}
