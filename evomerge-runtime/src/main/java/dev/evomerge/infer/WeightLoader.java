package dev.evomerge.infer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.evomerge.diag.InputException;
import dev.evomerge.infer.block.Attention;
import dev.evomerge.infer.block.DecoderLayer;
import dev.evomerge.infer.block.Mlp;
import dev.evomerge.infer.block.Projection;
import dev.evomerge.infer.block.RmsNorm;
import dev.evomerge.infer.block.RotaryEmbedding;
import dev.evomerge.infer.family.TransformerConfig;
import dev.evomerge.tensor.Conversions;
import dev.evomerge.tensor.DType;
import dev.evomerge.tensor.TensorInfo;
import dev.evomerge.tensor.TensorSource;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Copies a model's tensors (Hugging Face names) into float32 native memory and builds its blocks. Half-precision
 * weights are widened here, in Java: DJL's PyTorch engine never sees a bfloat16 tensor. q/k/v projections are stored
 * as one matrix per layer, and so are gate/up.
 *
 * <p>One use per load; not thread-safe.
 */
final class WeightLoader {

    private static final int CHUNK = 1 << 16;
    /** The largest array built over our own memory: DJL takes it as one ByteBuffer. */
    static final long MAX_BUFFER = Integer.MAX_VALUE & ~63L;
    private static final boolean LITTLE_ENDIAN = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;

    private final TensorSource weights;
    private final TransformerConfig config;
    private final String origin;
    private final NDManager manager;
    private final Arena memory;
    private final long maxBuffer;
    private final float[] scratch = new float[CHUNK];
    /** trainable: every array is a parameter (gradients on), recorded here with the tensors it holds; else null */
    private final List<LoadedModel.Parameter> parameters;

    private WeightLoader(TensorSource weights, TransformerConfig config, String origin, NDManager manager,
            Arena memory, long maxBuffer, boolean trainable) {
        this.maxBuffer = maxBuffer;
        this.parameters = trainable ? new ArrayList<>() : null;
        this.weights = weights;
        this.config = config;
        this.origin = origin;
        this.manager = manager;
        this.memory = memory;
    }

    static LoadedModel load(InferenceEngine engine, NDManager manager, TensorSource weights,
            TransformerConfig config, String origin) {
        return load(engine, manager, weights, config, origin, MAX_BUFFER, false);
    }

    /**
     * Loads the weights for training: every array requires gradients and is listed in
     * {@link LoadedModel#parameters()}, and the manager stays open for gradients and optimizer state.
     */
    static LoadedModel loadTrainable(InferenceEngine engine, NDManager manager, TensorSource weights,
            TransformerConfig config, String origin) {
        return load(engine, manager, weights, config, origin, MAX_BUFFER, true);
    }

    /** As above, building matrices over {@code maxBuffer} bytes in parts (tests lower it). */
    static LoadedModel load(InferenceEngine engine, NDManager manager, TensorSource weights,
            TransformerConfig config, String origin, long maxBuffer) {
        return load(engine, manager, weights, config, origin, maxBuffer, false);
    }

    private static LoadedModel load(InferenceEngine engine, NDManager manager, TensorSource weights,
            TransformerConfig config, String origin, long maxBuffer, boolean trainable) {
        Arena memory = Arena.ofShared();
        try {
            WeightLoader loader = new WeightLoader(weights, config, origin, manager, memory, maxBuffer, trainable);
            return loader.build(engine);
        } catch (RuntimeException e) {
            manager.close();
            memory.close();
            throw e;
        }
    }

    private LoadedModel build(InferenceEngine engine) {
        int hidden = config.hiddenSize();
        int vocab = config.vocabSize();
        NDArray embedding = tensor(vocab, hidden, "model.embed_tokens.weight");
        RotaryEmbedding rotary = new RotaryEmbedding(config.rope(), config.headDim());
        List<DecoderLayer> layers = new ArrayList<>(config.layers());
        for (int i = 0; i < config.layers(); i++) {
            layers.add(layer(i, rotary));
        }
        RmsNorm norm = new RmsNorm(tensor(hidden, "model.norm.weight"), config.rmsNormEps(), manager);
        NDArray lmHead = config.tiedEmbeddings() ? embedding : tensor(vocab, hidden, "lm_head.weight");
        if (parameters != null) {
            // gradients and optimizer state are attached to the weights' manager: it stays open
            return new LoadedModel(engine, config, origin, manager, memory, embedding, layers, norm, lmHead,
                    parameters);
        }
        // Every later array derives from a request's input and lives in the request's manager; anything
        // attached here from now on is a bug, and capping makes it fail at once instead of leaking.
        manager.cap();
        return new LoadedModel(engine, config, origin, manager, memory, embedding, layers, norm, lmHead, List.of());
    }

    private DecoderLayer layer(int i, RotaryEmbedding rotary) {
        String p = "model.layers." + i + ".";
        int hidden = config.hiddenSize();
        int d = config.headDim();
        int q = config.heads() * d;
        int kv = config.kvHeads() * d;
        List<String> qkvNames = List.of(p + "self_attn.q_proj", p + "self_attn.k_proj", p + "self_attn.v_proj");
        NDArray qkv = stacked(qkvNames, ".weight", new int[] {q, kv, kv}, hidden);
        NDArray qkvBias = config.qkvBias() ? stacked(qkvNames, ".bias", new int[] {q, kv, kv}, 0) : null;
        NDArray out = tensor(hidden, q, p + "self_attn.o_proj.weight");
        NDArray outBias = config.outputBias() ? tensor(hidden, p + "self_attn.o_proj.bias") : null;
        RmsNorm qNorm = null;
        RmsNorm kNorm = null;
        if (config.qkNorm()) {
            qNorm = new RmsNorm(tensor(d, p + "self_attn.q_norm.weight"), config.rmsNormEps(), manager);
            kNorm = new RmsNorm(tensor(d, p + "self_attn.k_norm.weight"), config.rmsNormEps(), manager);
        }
        Attention attention = new Attention(
                new Attention.Dims(config.heads(), config.kvHeads(), d, config.slidingWindow(i)),
                new Projection(qkv, qkvBias, packing()), new Projection(out, outBias, packing()), qNorm, kNorm, rotary,
                manager);

        int inter = config.intermediateSize();
        List<String> gateUpNames = List.of(p + "mlp.gate_proj", p + "mlp.up_proj");
        NDArray gateUp = stacked(gateUpNames, ".weight", new int[] {inter, inter}, hidden);
        NDArray gateUpBias = config.mlpBias() ? stacked(gateUpNames, ".bias", new int[] {inter, inter}, 0) : null;
        NDArray down = tensor(hidden, inter, p + "mlp.down_proj.weight");
        NDArray downBias = config.mlpBias() ? tensor(hidden, p + "mlp.down_proj.bias") : null;
        Mlp mlp = new Mlp(new Projection(gateUp, gateUpBias, packing()), new Projection(down, downBias, packing()));

        return new DecoderLayer(
                new RmsNorm(tensor(hidden, p + "input_layernorm.weight"), config.rmsNormEps(), manager), attention,
                new RmsNorm(tensor(hidden, p + "post_attention_layernorm.weight"), config.rmsNormEps(), manager),
                mlp);
    }

    /** Where a projection's panel copy goes: the model's memory, or nowhere for a trainable model. */
    private Arena packing() {
        return parameters == null ? memory : null;
    }

    /** One tensor of shape [rows] or [rows, cols]. */
    private NDArray tensor(int rows, String name) {
        return stacked(List.of(name), "", new int[] {rows}, 0);
    }

    private NDArray tensor(int rows, int cols, String name) {
        return stacked(List.of(name), "", new int[] {rows}, cols);
    }

    /**
     * Tensors {@code names[i] + suffix} of shapes [rows[i], cols] (or [rows[i]] when cols is 0) stacked row-wise
     * into one array.
     */
    private NDArray stacked(List<String> names, String suffix, int[] rows, int cols) {
        long width = Math.max(cols, 1);
        long totalRows = Arrays.stream(rows).asLongStream().sum();
        long bytes = totalRows * width * Float.BYTES;
        NDArray array = bytes > maxBuffer ? stackedInParts(names, suffix, rows, cols)
                : stackedInOne(names, suffix, rows, cols, bytes);
        if (parameters != null) {
            array.setRequiresGradient(true);
            parameters.add(new LoadedModel.Parameter(array, names.stream().map(n -> n + suffix).toList(),
                    rows.clone(), cols));
        }
        return array;
    }

    private NDArray stackedInOne(List<String> names, String suffix, int[] rows, int cols, long bytes) {
        long width = Math.max(cols, 1);
        long totalRows = Arrays.stream(rows).asLongStream().sum();
        MemorySegment target = memory.allocate(bytes, 64);
        long offset = 0;
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i) + suffix;
            long[] expected = cols == 0 ? new long[] {rows[i]} : new long[] {rows[i], cols};
            TensorInfo info = info(name, expected);
            copyAsFloats(name, info, target, 0, offset, info.numel());
            offset += info.numel();
        }
        Shape shape = cols == 0 ? new Shape(totalRows) : new Shape(totalRows, cols);
        return manager.create(target.asByteBuffer(), shape, DataType.FLOAT32);
    }

    /**
     * Tensors too large for one NDArray over our memory (DJL takes a ByteBuffer, at most 2 GiB; a 150k-token
     * vocabulary at hidden size 4096 is more): built from row blocks that PyTorch concatenates into memory of its own.
     */
    private NDArray stackedInParts(List<String> names, String suffix, int[] rows, int cols) {
        long width = Math.max(cols, 1);
        long blockRows = Math.max(1, maxBuffer / (width * Float.BYTES));
        try (Arena parts = Arena.ofConfined(); NDManager scratchManager = manager.newSubManager()) {
            List<NDArray> blocks = new ArrayList<>();
            for (int i = 0; i < names.size(); i++) {
                String name = names.get(i) + suffix;
                TensorInfo info = info(name, cols == 0 ? new long[] {rows[i]} : new long[] {rows[i], cols});
                for (long r = 0; r < rows[i]; r += blockRows) {
                    long n = Math.min(blockRows, rows[i] - r);
                    MemorySegment block = parts.allocate(n * width * Float.BYTES, 64);
                    copyAsFloats(name, info, block, r * width, 0, n * width);
                    Shape shape = cols == 0 ? new Shape(n) : new Shape(n, cols);
                    blocks.add(scratchManager.create(block.asByteBuffer(), shape, DataType.FLOAT32));
                }
            }
            NDArray whole = NDArrays.concat(new NDList(blocks), 0);
            whole.attach(manager);
            return whole;
        }
    }

    private TensorInfo info(String name, long[] expected) {
        TensorInfo info = weights.info(name).orElseThrow(() -> new InputException(
                "no tensor '" + name + "' in the " + config.family() + " weights of " + origin,
                "check that the weights match config.json (" + config.layers() + " layers, hidden size "
                        + config.hiddenSize() + ")"));
        if (!Arrays.equals(info.shape().dims(), expected)) {
            throw new InputException("tensor '" + name + "' of " + origin + " has shape " + info.shape()
                    + ", but config.json implies " + Arrays.toString(expected),
                    "check that config.json belongs to these weights");
        }
        if (!info.dtype().isFloatingPoint()) {
            throw new InputException("tensor '" + name + "' of " + origin + " has dtype " + info.dtype()
                    + ", not a floating-point type", "quantized weights are not supported; use float weights");
        }
        return info;
    }

    /**
     * Writes elements {@code [from, from + n)} of the tensor as native-order float32 into {@code target}, from
     * element {@code at}.
     */
    private void copyAsFloats(String name, TensorInfo info, MemorySegment target, long from, long at, long n) {
        MemorySegment src = weights.bytes(name);
        if (info.dtype() == DType.F32 && LITTLE_ENDIAN) {
            MemorySegment.copy(src, from * Float.BYTES, target, at * Float.BYTES, n * Float.BYTES);
            return;
        }
        for (long done = 0; done < n; ) {
            int count = (int) Math.min(CHUNK, n - done);
            Conversions.toFloats(src, info.dtype(), from + done, scratch, 0, count);
            MemorySegment.copy(scratch, 0, target, ValueLayout.JAVA_FLOAT, (at + done) * Float.BYTES, count);
            done += count;
        }
    }
}
