package dev.evomerge.infer.block;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * One pre-norm decoder layer: {@code h' = h + Attn(norm1(h))}, then {@code out = h' + s·MLP(norm2(h'))}. The factor
 * {@code s} is 1 for a plain model; on a data-flow path it is the next step's scale ({@code evolutionary-merge.md}
 * §2), which is why the layer takes it per call rather than holding it: one loaded layer serves every step that uses
 * it, with whatever scale each step has.
 *
 * <p>Immutable and thread-safe.
 */
public final class DecoderLayer {

    private final RmsNorm inputNorm;
    private final Attention attention;
    private final RmsNorm postAttentionNorm;
    private final Mlp mlp;

    public DecoderLayer(RmsNorm inputNorm, Attention attention, RmsNorm postAttentionNorm, Mlp mlp) {
        this.inputNorm = inputNorm;
        this.attention = attention;
        this.postAttentionNorm = postAttentionNorm;
        this.mlp = mlp;
    }

    public Attention attention() {
        return attention;
    }

    /**
     * Runs the layer. Its intermediate arrays live in a sub-manager closed before returning, so a forward call
     * holds at most one layer's temporaries at a time.
     *
     * @param h hidden states [batch, length, hidden], in the pass's manager (left as it is)
     * @param cache this step's cache, or null
     * @param mlpScale a [] float32 factor on the MLP output, or null for 1
     * @return the new hidden states [batch, length, hidden], in the pass's manager
     */
    public NDArray forward(NDArray h, ForwardPass pass, KvCache cache, NDArray mlpScale) {
        if (cache != null && pass.length() == 1 && decodes(pass.batch())) {
            float[] out = decode(h.toFloatArray(), pass, cache, mlpScale == null ? 1f : mlpScale.getFloat());
            return Tensors.copyOf(pass.manager(), out, h.getShape());
        }
        try (NDManager scope = pass.manager().newSubManager()) {
            h.tempAttach(scope);
            NDArray attended = h.add(attention.forward(inputNorm.forward(h), pass, cache));
            NDArray update = mlp.forward(postAttentionNorm.forward(attended));
            if (mlpScale != null) {
                update.muli(mlpScale);
            }
            // under autograd the norm's backward pass keeps the attended states: add out of place
            NDArray result = Tensors.recording() ? attended.add(update) : attended.addi(update);
            result.attach(pass.manager());
            return result;
        }
    }

    /** Whether {@link #decode} runs for a decode step of {@code rows} rows (the panel kernel takes them). */
    public boolean decodes(int rows) {
        return attention.decodes(rows) && mlp.decodes(rows);
    }

    /**
     * {@link #forward} for a decode step (one new column per row) on the heap: the same formulas in the same order,
     * the projections on the panel kernel ({@link Projection}), no call into PyTorch. Only where {@link #decodes}
     * holds.
     *
     * @param x the hidden states, {@code rows × hidden} floats (left as they are)
     * @param mlpScale the factor on the MLP output (1: none)
     * @return the new hidden states, {@code rows × hidden} floats
     */
    public float[] decode(float[] x, ForwardPass pass, KvCache cache, float mlpScale) {
        int rows = pass.batch();
        float[] normed = x.clone();
        inputNorm.normalize(normed, 0, rows);
        float[] attended = attention.decode(normed, pass, cache);
        for (int i = 0; i < x.length; i++) {
            attended[i] = x[i] + attended[i];
        }
        normed = attended.clone();
        postAttentionNorm.normalize(normed, 0, rows);
        float[] update = mlp.decode(normed, rows);
        for (int i = 0; i < update.length; i++) {
            attended[i] += mlpScale == 1f ? update[i] : update[i] * mlpScale;
        }
        return attended;
    }
}
