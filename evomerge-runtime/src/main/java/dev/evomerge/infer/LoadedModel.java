package dev.evomerge.infer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.evomerge.infer.block.DecoderLayer;
import dev.evomerge.infer.block.Projection;
import dev.evomerge.infer.block.RmsNorm;
import dev.evomerge.infer.family.TransformerConfig;
import java.lang.foreign.Arena;
import java.util.List;

/**
 * One model's weights on the engine, as float32 NDArrays over native memory this object owns: embeddings, decoder
 * layers, final norm and lm_head. Loaded once; any number of {@link CausalLm}s (the plain model, data-flow paths
 * mixing its layers with other models') read the same arrays without copying them.
 *
 * <p>Thread-safe for running; close it when no {@code CausalLm} over it runs any more.
 */
public final class LoadedModel implements AutoCloseable {

    private final InferenceEngine engine;
    private final TransformerConfig config;
    private final String origin;
    private final NDManager manager;
    private final Arena memory;
    /** [vocab, hidden] */
    private final NDArray embedding;
    private final List<DecoderLayer> layers;
    private final RmsNorm norm;
    /** [vocab, hidden]; the embedding matrix itself when tied */
    private final Projection lmHead;
    private final List<Parameter> parameters;
    private volatile boolean closed;

    /**
     * One array of a model loaded for training and the checkpoint tensors it holds: rows {@code rows[i]} of the
     * array, in turn, are tensor {@code names[i]} (the attention's q, k and v projections share one array, as the
     * MLP's gate and up projections do).
     *
     * @param array the float32 array, requiring gradients
     * @param names the tensors' checkpoint names
     * @param rows each tensor's rows
     * @param cols the columns (0 for vectors)
     */
    public record Parameter(NDArray array, List<String> names, int[] rows, int cols) {
    }

    LoadedModel(InferenceEngine engine, TransformerConfig config, String origin, NDManager manager, Arena memory,
            NDArray embedding, List<DecoderLayer> layers, RmsNorm norm, NDArray lmHead, List<Parameter> parameters) {
        this.engine = engine;
        this.config = config;
        this.origin = origin;
        this.manager = manager;
        this.memory = memory;
        this.embedding = embedding;
        this.layers = List.copyOf(layers);
        this.norm = norm;
        this.lmHead = new Projection(lmHead, null, parameters.isEmpty() ? memory : null);
        this.parameters = List.copyOf(parameters);
    }

    /**
     * The trainable arrays of a model loaded with {@link InferenceEngine#loadTrainable}, each with the checkpoint
     * tensors it holds; empty for a model loaded for inference.
     */
    public List<Parameter> parameters() {
        return parameters;
    }

    /** The hyper-parameters it was loaded with. */
    public TransformerConfig config() {
        return config;
    }

    /** What the weights are, as given when loading (a directory, a candidate name). */
    public String origin() {
        return origin;
    }

    public int layerCount() {
        return layers.size();
    }

    InferenceEngine engine() {
        return engine;
    }

    NDArray embedding() {
        return embedding;
    }

    DecoderLayer layer(int index) {
        return layers.get(index);
    }

    RmsNorm norm() {
        return norm;
    }

    Projection lmHead() {
        return lmHead;
    }

    /** Throws if closed. */
    void checkOpen() {
        if (closed) {
            throw new IllegalStateException("model " + origin + " is closed");
        }
    }

    /** Frees the arrays, then the memory under them. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            manager.close();
        } finally {
            memory.close();
        }
    }

    @Override
    public String toString() {
        return config.family() + " model " + origin + " (" + layers.size() + " layers, hidden "
                + config.hiddenSize() + ")";
    }
}
