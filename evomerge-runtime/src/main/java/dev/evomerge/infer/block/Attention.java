package dev.evomerge.infer.block;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

/**
 * Grouped-query self-attention (transformers' {@code LlamaAttention} with the eager attention function): project to
 * queries, keys and values, optionally normalize each query and key head (Qwen3), rotate by position, append keys
 * and values to the cache, then {@code softmax(q·kᵀ·scale + mask)·v} and the output projection. Query head
 * {@code h} reads key/value head {@code h / groups}, as {@code repeat_kv} arranges it; the product is taken per
 * key/value head over its group of query heads, so keys and values are never copied per query head.
 *
 * <p>Immutable and thread-safe.
 */
public final class Attention {

    /** [(heads + 2·kvHeads)·headDim, hidden]: q_proj's rows, then k_proj's, then v_proj's (biases likewise) */
    private final Projection qkv;
    /** o_proj, [hidden, heads·headDim] */
    private final Projection out;
    /** over [headDim], or null */
    private final RmsNorm queryNorm;
    /** over [headDim], or null */
    private final RmsNorm keyNorm;
    private final RotaryEmbedding rotary;
    /** [] headDim^-0.5 */
    private final NDArray scale;
    private final float scaleValue;
    private final int heads;
    private final int kvHeads;
    private final int headDim;
    private final int window;

    /**
     * @param shape heads, key/value heads, head width and sliding window (0: none)
     * @param qkv the fused projection, [(heads + 2·kvHeads)·headDim, hidden], with its bias if any
     * @param out o_proj, [hidden, heads·headDim], with its bias if any
     * @param queryNorm per-head query norm, or null
     * @param keyNorm per-head key norm, or null
     * @param rotary the rotary embedding
     * @param constants the manager holding the block's constants (the weights' manager, before it is capped)
     */
    public Attention(Dims shape, Projection qkv, Projection out, RmsNorm queryNorm, RmsNorm keyNorm,
            RotaryEmbedding rotary, NDManager constants) {
        this.heads = shape.heads();
        this.kvHeads = shape.kvHeads();
        this.headDim = shape.headDim();
        this.window = shape.window();
        this.qkv = qkv;
        this.out = out;
        this.queryNorm = queryNorm;
        this.keyNorm = keyNorm;
        this.rotary = rotary;
        this.scaleValue = (float) Math.pow(headDim, -0.5);
        this.scale = constants.create(scaleValue);
    }

    /**
     * The attention block's dimensions.
     *
     * @param heads query heads
     * @param kvHeads key/value heads, dividing {@code heads}
     * @param headDim width of one head
     * @param window sliding window, or 0 for none
     */
    public record Dims(int heads, int kvHeads, int headDim, int window) {
        public Dims {
            if (heads < 1 || kvHeads < 1 || heads % kvHeads != 0 || headDim < 2 || window < 0) {
                throw new IllegalArgumentException("bad attention shape: " + heads + " heads, " + kvHeads
                        + " kv heads, head dim " + headDim + ", window " + window);
            }
        }
    }

    /** Key/value heads (the cache's width). */
    public int kvHeads() {
        return kvHeads;
    }

    public int headDim() {
        return headDim;
    }

    /**
     * Attends from the pass's new columns.
     *
     * @param x normalized hidden states [batch, length, hidden]
     * @param cache this block's cache in the request, or null to attend only within {@code x}
     * @return [batch, length, hidden], living with {@code x}
     */
    public NDArray forward(NDArray x, ForwardPass pass, KvCache cache) {
        long b = x.getShape().get(0);
        long t = x.getShape().get(1);
        NDList parts = qkv.apply(x).reshape(b, t, heads + 2L * kvHeads, headDim)
                .split(new long[] {heads, heads + kvHeads}, 2);
        NDArray q = parts.get(0);
        NDArray k = parts.get(1);
        if (queryNorm != null) {
            q = queryNorm.forward(q);
            k = keyNorm.forward(k);
        }
        // [batch, heads, length, headDim] and [batch, kvHeads, length, headDim]
        q = rotary.apply(q.swapAxes(1, 2), pass);
        k = rotary.apply(k.swapAxes(1, 2), pass);
        NDArray v = parts.get(2).swapAxes(1, 2);
        if (cache != null) {
            NDArray[] kv = cache.append(k, v);
            k = kv[0];
            v = kv[1];
        }
        long s = k.getShape().get(2);
        long groups = heads / kvHeads;
        // one product per key/value head over its group's queries: [batch, kvHeads, groups·length, columns]
        NDArray products = q.reshape(b, kvHeads, groups * t, headDim).matMul(k.swapAxes(2, 3));
        NDArray scores = products.reshape(b, heads, t, s).muli(scale);
        NDArray mask = pass.mask(window);
        if (mask != null) {
            scores.addi(mask);
        }
        NDArray probs = scores.softmax(-1);
        // the score arrays are the largest of the block: free them now rather than at the end of the layer
        scores.close();
        products.close();
        NDArray grouped = probs.reshape(b, kvHeads, groups * t, s);
        NDArray context = grouped.matMul(v);
        grouped.close();
        probs.close();
        NDArray merged = context.reshape(b, heads, t, headDim).swapAxes(1, 2).reshape(b, t, (long) heads * headDim);
        return out.apply(merged);
    }

    /** Whether {@link #decode} runs for a decode step of {@code rows} rows (the panel kernel takes them). */
    boolean decodes(int rows) {
        return qkv.panelsFor(rows) && out.panelsFor(rows);
    }

    /**
     * {@link #forward} for a decode step (one new column per row) on the heap: the same formulas, with the
     * projections on the panel kernel, the keys and values written straight into the cache, and the attention in
     * {@link ColumnAttention}.
     *
     * @param x the normalized hidden states, {@code rows × hidden} floats
     * @return {@code rows × hidden} floats
     */
    float[] decode(float[] x, ForwardPass pass, KvCache cache) {
        int rows = pass.batch();
        int width = (heads + 2 * kvHeads) * headDim;
        int keys = heads * headDim;
        int values = (heads + kvHeads) * headDim;
        float[] proj = qkv.multiply(x, rows);
        for (int b = 0; b < rows; b++) {
            int row = b * width;
            if (queryNorm != null) {
                queryNorm.normalize(proj, row, heads);
                keyNorm.normalize(proj, row + keys, kvHeads);
            }
            float position = pass.position(b, pass.past());
            rotary.rotate(proj, row, heads, position);
            rotary.rotate(proj, row + keys, kvHeads, position);
        }
        cache.appendColumn(proj, width, keys, values);
        float[] context = new float[rows * heads * headDim];
        ColumnAttention.attend(proj, width, heads, kvHeads, headDim, cache, pass, window, scaleValue, context);
        return out.multiply(context, rows);
    }
}
