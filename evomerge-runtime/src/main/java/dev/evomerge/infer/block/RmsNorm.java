package dev.evomerge.infer.block;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * Root-mean-square layer norm over the last dimension (transformers' {@code LlamaRMSNorm}):
 * {@code weight · x / sqrt(mean(x²) + eps)}, in float32.
 *
 * <p>Immutable and thread-safe.
 */
public final class RmsNorm {

    /** [dim] */
    private final NDArray weight;
    /** [] eps, as a float32 scalar (as transformers adds it to a float32 tensor) */
    private final NDArray eps;
    /** [] -0.5 */
    private final NDArray minusHalf;
    private final float epsValue;
    /** the weight on the heap, once {@link #normalize} has asked for it */
    private volatile float[] heapWeight;

    /**
     * @param weight the scale, [dim]
     * @param eps the epsilon
     * @param constants the manager that holds the block's constants (the weights' manager, before it is capped)
     */
    public RmsNorm(NDArray weight, double eps, NDManager constants) {
        this.weight = weight;
        this.epsValue = (float) eps;
        this.eps = constants.create(epsValue);
        this.minusHalf = constants.create(-0.5f);
    }

    /** Normalizes {@code x} [..., dim]; the result lives with {@code x}. */
    public NDArray forward(NDArray x) {
        NDArray inverseRms = x.square().mean(new int[] {-1}, true).addi(eps).powi(minusHalf);
        return x.mul(inverseRms).muli(weight);
    }

    /**
     * Normalizes {@code count} consecutive vectors of the weight's width in place, {@code data[offset ..]}: the
     * same formula on the heap, for a decode step.
     */
    public void normalize(float[] data, int offset, int count) {
        float[] w = heapWeight;
        if (w == null) {
            w = weight.toFloatArray();
            heapWeight = w;
        }
        int dim = w.length;
        for (int v = 0; v < count; v++) {
            int base = offset + v * dim;
            float squares = 0;
            for (int i = 0; i < dim; i++) {
                squares += data[base + i] * data[base + i];
            }
            float inverse = (float) Math.pow(squares / dim + epsValue, -0.5);
            for (int i = 0; i < dim; i++) {
                data[base + i] = data[base + i] * inverse * w[i];
            }
        }
    }
}
