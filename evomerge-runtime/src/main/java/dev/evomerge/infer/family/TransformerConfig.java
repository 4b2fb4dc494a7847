package dev.evomerge.infer.family;

import java.util.List;
import java.util.Objects;

/**
 * The hyper-parameters of a pre-norm decoder-only transformer with RMSNorm, rotary embeddings, grouped-query
 * attention and a SwiGLU MLP, in one form for every supported family. A {@link ModelFamily} reads it from
 * {@code config.json}; the blocks are built from it.
 *
 * <p>Immutable and thread-safe.
 *
 * @param family the family name, e.g. {@code llama}
 * @param hiddenSize width of the residual stream
 * @param intermediateSize width of the MLP's inner layer
 * @param layers number of decoder layers
 * @param heads query heads
 * @param kvHeads key/value heads; divides {@code heads}
 * @param headDim width of one head (not always hiddenSize / heads: Qwen3 sets it apart)
 * @param vocabSize rows of the embedding matrix and lm_head
 * @param rmsNormEps the epsilon added to the mean square in every RMSNorm
 * @param rope the rotary embedding parameters
 * @param slidingWindows per layer, how many most recent positions a query sees (itself included), or 0 for all
 * @param qkvBias whether q_proj, k_proj and v_proj have biases
 * @param outputBias whether o_proj has a bias
 * @param mlpBias whether gate_proj, up_proj and down_proj have biases
 * @param qkNorm whether queries and keys pass through a per-head RMSNorm before the rotation (Qwen3)
 * @param tiedEmbeddings whether lm_head is the embedding matrix
 * @param maxPositions {@code max_position_embeddings}: the context length the model was trained for
 */
public record TransformerConfig(String family, int hiddenSize, int intermediateSize, int layers, int heads,
        int kvHeads, int headDim, int vocabSize, double rmsNormEps, Rope rope, List<Integer> slidingWindows,
        boolean qkvBias, boolean outputBias, boolean mlpBias, boolean qkNorm, boolean tiedEmbeddings,
        int maxPositions) {

    public TransformerConfig {
        Objects.requireNonNull(family, "family");
        Objects.requireNonNull(rope, "rope");
        positive("hidden_size", hiddenSize);
        positive("intermediate_size", intermediateSize);
        positive("num_hidden_layers", layers);
        positive("num_attention_heads", heads);
        positive("num_key_value_heads", kvHeads);
        positive("head_dim", headDim);
        positive("vocab_size", vocabSize);
        positive("max_position_embeddings", maxPositions);
        if (heads % kvHeads != 0) {
            throw new IllegalArgumentException("num_attention_heads (" + heads
                    + ") must be a multiple of num_key_value_heads (" + kvHeads + ")");
        }
        if (headDim % 2 != 0) {
            throw new IllegalArgumentException("head_dim must be even for rotary embeddings, got " + headDim);
        }
        if (!(rmsNormEps >= 0) || !Double.isFinite(rmsNormEps)) {
            throw new IllegalArgumentException("rms_norm_eps must be >= 0, got " + rmsNormEps);
        }
        slidingWindows = List.copyOf(slidingWindows);
        if (slidingWindows.size() != layers) {
            throw new IllegalArgumentException("need one sliding window per layer (" + layers + "), got "
                    + slidingWindows.size());
        }
        for (int w : slidingWindows) {
            if (w < 0) {
                throw new IllegalArgumentException("sliding windows must be >= 0, got " + slidingWindows);
            }
        }
    }

    private static void positive(String key, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(key + " must be >= 1, got " + value);
        }
    }

    /** Query heads per key/value head. */
    public int groups() {
        return heads / kvHeads;
    }

    /** The sliding window of a layer, or 0 when it attends to every earlier position. */
    public int slidingWindow(int layer) {
        return slidingWindows.get(layer);
    }

    /** Every layer attending to every earlier position. */
    public static List<Integer> fullAttention(int layers) {
        return java.util.Collections.nCopies(layers, 0);
    }
}
