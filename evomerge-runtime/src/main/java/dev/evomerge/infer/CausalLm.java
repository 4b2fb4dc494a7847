package dev.evomerge.infer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.evomerge.dataflow.LayerPath;
import dev.evomerge.infer.block.DecoderLayer;
import dev.evomerge.infer.block.ForwardPass;
import dev.evomerge.infer.block.KvCache;
import dev.evomerge.infer.block.Tensors;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;

/**
 * A causal language model ready to run: the embeddings of one loaded model, a sequence of decoder layers (all of one
 * model's layers, or a data-flow {@link LayerPath} over several loaded models, each step with its scale), and the
 * final norm and lm_head of one model. It only references the loaded weights; building one costs nothing.
 *
 * <p>The forward pass follows transformers' eager implementation (see {@code infer.block}); for a path, the scales
 * act as {@code evolutionary-merge.md} §2 says: s<sub>0</sub> on the embedding output, s<sub>t+1</sub> on step t's
 * MLP output, the last step's MLP output unscaled; every step has its own KV cache.
 *
 * <p>Batches are left-padded: each row's real tokens end at the last column, padding columns are masked out and
 * positions count from each row's first real token, so a sequence gets the same numbers (within float rounding,
 * 1e-5) alone or in any batch. Requests are sorted by length inside a call to waste less on padding; results come
 * back in request order.
 *
 * <p>Immutable and thread-safe: calls from several threads run at once, each with its own managers. Each call sets
 * the engine's intra-op thread count on its thread.
 */
public final class CausalLm {

    private final InferenceEngine engine;
    private final List<LoadedModel> models;
    private final LoadedModel embeddingModel;
    private final float embeddingScale;
    private final List<DecoderLayer> steps;
    /** per step, the factor on its MLP output (1 for none) */
    private final float[] mlpScales;
    private final LoadedModel headModel;
    private final int maxLength;
    /** what {@link #logLikelihoods} ran: requests, real tokens, pass cells */
    private final LongAdder[] scored = {new LongAdder(), new LongAdder(), new LongAdder()};

    private CausalLm(InferenceEngine engine, List<LoadedModel> models, LoadedModel embeddingModel,
            float embeddingScale, List<DecoderLayer> steps, float[] mlpScales, LoadedModel headModel,
            int maxLength) {
        this.engine = engine;
        this.models = List.copyOf(models);
        this.embeddingModel = embeddingModel;
        this.embeddingScale = embeddingScale;
        this.steps = List.copyOf(steps);
        this.mlpScales = mlpScales;
        this.headModel = headModel;
        this.maxLength = maxLength;
    }

    /** The model as it is: all its layers, in order, unscaled. */
    public static CausalLm of(LoadedModel model) {
        return of(List.of(model), LayerPath.plain(0, model.layerCount()));
    }

    /**
     * A data-flow path over loaded models ({@code models.get(i)} is the path's model {@code i}). The longest input
     * it accepts is the embedding model's {@code max_position_embeddings}.
     *
     * @throws IllegalArgumentException when the path names a model or layer that is not there, the models do not
     *     share one hidden size, or they were loaded by different engines
     */
    public static CausalLm of(List<LoadedModel> models, LayerPath path) {
        Objects.requireNonNull(path, "path");
        if (models.isEmpty()) {
            throw new IllegalArgumentException("a path needs at least one model");
        }
        path.checkAgainst(models.stream().map(LoadedModel::layerCount).toList());
        InferenceEngine engine = models.getFirst().engine();
        LoadedModel embeddings = models.get(path.embeddingModel());
        int hidden = embeddings.config().hiddenSize();
        for (int m : path.models()) {
            LoadedModel model = models.get(m);
            model.checkOpen();
            if (model.engine() != engine) {
                throw new IllegalArgumentException("model " + m + " (" + model + ") was loaded by another engine");
            }
            if (model.config().hiddenSize() != hidden) {
                throw new IllegalArgumentException("model " + m + " (" + model + ") has hidden size "
                        + model.config().hiddenSize() + ", but the embeddings have " + hidden
                        + ": a data-flow path needs one hidden size");
            }
        }
        List<DecoderLayer> layers = new ArrayList<>(path.size());
        float[] scales = new float[path.size()];
        for (int t = 0; t < path.size(); t++) {
            LayerPath.Step step = path.step(t);
            layers.add(models.get(step.model()).layer(step.layer()));
            scales[t] = (float) path.mlpScale(t);
        }
        return new CausalLm(engine, models, embeddings, (float) path.embeddingScale(), layers, scales,
                models.get(path.headModel()), embeddings.config().maxPositions());
    }

    /** The same model accepting inputs of at most {@code tokens} tokens (prompt plus generation, or context). */
    public CausalLm withMaxLength(int tokens) {
        if (tokens < 2) {
            throw new IllegalArgumentException("max length must be >= 2, got " + tokens);
        }
        return new CausalLm(engine, models, embeddingModel, embeddingScale, steps, mlpScales, headModel, tokens);
    }

    /** The longest input accepted; longer inputs lose their oldest tokens, as lm-evaluation-harness does. */
    public int maxLength() {
        return maxLength;
    }

    /** Size of the output distribution (the head model's vocabulary). */
    public int vocabSize() {
        return headModel.config().vocabSize();
    }

    /** Decoder layers a token passes through. */
    public int depth() {
        return steps.size();
    }

    /** The logits at every position of one sequence, [length][vocab]. */
    public float[][] logits(int[] tokens) {
        return logits(List.of(tokens)).getFirst();
    }

    /**
     * The logits at every position of each sequence, run as one left-padded batch; element {@code i} is
     * [length of sequence i][vocab]. Meant for tests and tools on short inputs: every logit comes back to the heap.
     */
    public List<float[][]> logits(List<int[]> sequences) {
        enter();
        int rows = sequences.size();
        int width = sequences.stream().mapToInt(s -> s.length).max().orElse(0);
        Batch batch = Batch.leftPadded(sequences, width, embeddingModel.config().vocabSize());
        int vocab = vocabSize();
        if ((long) rows * width * vocab > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(rows + " sequences of up to " + width + " tokens over " + vocab
                    + " logits do not fit in one array; score them with logLikelihoods instead");
        }
        try (NDManager request = engine.newRequestManager();
                ForwardPass pass = new ForwardPass(request, batch.padLeft(), 0, width)) {
            NDArray hidden = run(pass, pass.longs(batch.ids(), rows, width), null, scales(request));
            float[] all = head(hidden).toFloatArray();
            List<float[][]> out = new ArrayList<>(rows);
            for (int b = 0; b < rows; b++) {
                int length = sequences.get(b).length;
                float[][] seq = new float[length][vocab];
                for (int t = 0; t < length; t++) {
                    System.arraycopy(all, ((b * width) + width - length + t) * vocab, seq[t], 0, vocab);
                }
                out.add(seq);
            }
            return out;
        }
    }

    /**
     * Greedy generation for each prompt, in batches of {@code batchSize}. A prompt longer than
     * {@code maxLength() - options.maxNewTokens()} loses its oldest tokens first.
     */
    public List<Generation> generate(List<int[]> prompts, GenerationOptions options, int batchSize) {
        return generate(prompts, java.util.Collections.nCopies(prompts.size(), options), batchSize);
    }

    /**
     * Greedy generation for each prompt with its own options ({@code options.get(i)} for {@code prompts.get(i)}), in
     * batches of {@code batchSize}: requests of different budgets and stop rules share batches. A prompt longer than
     * {@code maxLength()} less its own {@code maxNewTokens()} loses its oldest tokens first.
     */
    public List<Generation> generate(List<int[]> prompts, List<GenerationOptions> options, int batchSize) {
        enter();
        return new Generator(this).run(prompts, options, batchSize);
    }

    /**
     * The log-likelihood of each request's continuation after its context, in batches of {@code batchSize}. When
     * context and continuation together exceed {@code maxLength() + 1} tokens, the context loses its oldest tokens
     * (the input is the last {@code maxLength()} tokens before the final one, as lm-evaluation-harness builds it).
     */
    public List<LogLikelihood> logLikelihoods(List<ContinuationRequest> requests, int batchSize) {
        enter();
        List<LogLikelihood> out = new Scorer(this).run(requests, batchSize);
        scored[0].add(requests.size());
        return out;
    }

    /** What {@link #logLikelihoods} has run on this object so far (for benchmarks and reports). */
    public ScoringTokens scoringTokens() {
        return new ScoringTokens(scored[0].sum(), scored[1].sum(), scored[2].sum());
    }

    /** Counts one scoring pass: {@code tokens} real positions in {@code cells} (rows times width). */
    void countScoringPass(long tokens, long cells) {
        scored[1].add(tokens);
        scored[2].add(cells);
    }

    /**
     * Training: the logits at every column of the pass, [batch, length, vocab], in the pass's manager, computed
     * under the calling thread's autograd mode (a {@code GradientCollector} records it). Unlike the other calls it
     * leaves the thread's settings alone; the caller has set the intra-op threads (any inference call does).
     *
     * @param ids int64 [batch, length], left-padded as the pass says
     */
    public NDArray trainingLogits(ForwardPass pass, NDArray ids) {
        for (LoadedModel m : models) {
            m.checkOpen();
        }
        return head(run(pass, ids, null, scales(pass.manager())));
    }

    // ---- the forward pass, shared by Generator and Scorer ----

    /** Makes the engine's thread settings hold on this thread and checks the models are still loaded. */
    private void enter() {
        for (LoadedModel m : models) {
            m.checkOpen();
        }
        engine.enter();
    }

    NDManager newRequestManager() {
        return engine.newRequestManager();
    }

    /** The layer step {@code t} runs (the loaded model's own object: paths share weights, never copy them). */
    DecoderLayer step(int t) {
        return steps.get(t);
    }

    int embeddingVocabSize() {
        return embeddingModel.config().vocabSize();
    }

    /** One cache per step, each as wide as its own layer's attention, for {@code capacity} columns. */
    KvCache[] caches(NDManager request, int batch, int capacity) {
        KvCache[] caches = new KvCache[steps.size()];
        for (int t = 0; t < caches.length; t++) {
            var attention = steps.get(t).attention();
            caches[t] = new KvCache(request, batch, attention.kvHeads(), capacity, attention.headDim());
        }
        return caches;
    }

    /**
     * The scale factors as [] float32 arrays in the request's manager: index 0 for the embeddings, then one per
     * step's MLP output; null where the factor is 1 (nothing to multiply).
     */
    NDArray[] scales(NDManager request) {
        NDArray[] out = new NDArray[steps.size() + 1];
        out[0] = embeddingScale == 1f ? null : request.create(embeddingScale);
        for (int t = 0; t < steps.size(); t++) {
            out[t + 1] = mlpScales[t] == 1f ? null : request.create(mlpScales[t]);
        }
        return out;
    }

    /**
     * Embeddings, then every step: the hidden states after the last step, before the final norm,
     * [batch, length, hidden], in the pass's manager.
     *
     * @param caches one per step, or null to attend only within this pass
     */
    NDArray run(ForwardPass pass, NDArray ids, KvCache[] caches, NDArray[] scales) {
        NDArray h = Tensors.embedding(ids, embeddingModel.embedding());
        if (scales[0] != null) {
            h.muli(scales[0]);
        }
        for (int t = 0; t < steps.size(); t++) {
            NDArray next = steps.get(t).forward(h, pass, caches == null ? null : caches[t], scales[t + 1]);
            h.close();
            h = next;
        }
        return h;
    }

    /**
     * A decode step's greedy next tokens (one new column per row, fed {@code ids}) entirely on the heap: the
     * embedding rows copied from the table's memory, every step's {@link DecoderLayer#decode}, then norm, lm_head and
     * arg-max as {@link #greedy}. Null, with nothing done, where the panel kernel does not take the rows; then the
     * caller runs {@link #run} and {@link #greedy}.
     */
    long[] decodeGreedy(ForwardPass pass, long[] ids, KvCache[] caches) {
        int rows = pass.batch();
        if (pass.length() != 1 || !headModel.lmHead().panelsFor(rows)) {
            return null;
        }
        for (DecoderLayer step : steps) {
            if (!step.decodes(rows)) {
                return null;
            }
        }
        int hidden = embeddingModel.config().hiddenSize();
        MemorySegment table = Tensors.memory(embeddingModel.embedding(),
                (long) embeddingModel.config().vocabSize() * hidden);
        float[] h = new float[rows * hidden];
        for (int b = 0; b < rows; b++) {
            MemorySegment.copy(table, ValueLayout.JAVA_FLOAT, ids[b] * hidden * Float.BYTES, h, b * hidden, hidden);
        }
        if (embeddingScale != 1f) {
            for (int i = 0; i < h.length; i++) {
                h[i] *= embeddingScale;
            }
        }
        for (int t = 0; t < steps.size(); t++) {
            h = steps.get(t).decode(h, pass, caches[t], mlpScales[t]);
        }
        return greedy(h, rows);
    }

    /**
     * Greedy choice: per row of {@code hidden} [rows, 1, hidden], the index of the largest logit (the first on
     * ties, and the first NaN before any number, as PyTorch's {@code argmax}). Where the panel kernel takes the
     * rows, norm, lm_head and arg-max run on the heap and no logits array is made.
     */
    long[] greedy(NDArray hidden) {
        int rows = Math.toIntExact(hidden.getShape().get(0));
        if (hidden.getShape().get(1) != 1 || !headModel.lmHead().panelsFor(rows)) {
            return head(hidden).argMax(-1).toLongArray();
        }
        return greedy(hidden.toFloatArray(), rows);
    }

    /** {@link #greedy(NDArray)} on the heap: {@code h} is {@code rows × hidden} floats, normalized in place. */
    private long[] greedy(float[] h, int rows) {
        headModel.norm().normalize(h, 0, rows);
        return headModel.lmHead().argmax(h, rows);
    }

    /** Final norm and lm_head: [batch, n, hidden] to logits [batch, n, vocab], living with {@code hidden}. */
    NDArray head(NDArray hidden) {
        return headModel.lmHead().apply(headModel.norm().forward(hidden));
    }

    @Override
    public String toString() {
        return "CausalLm(" + steps.size() + " layers over " + models.size() + " model(s))";
    }
}
