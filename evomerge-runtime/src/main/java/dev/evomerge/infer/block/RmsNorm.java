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

    /**
     * @param weight the scale, [dim]
     * @param eps the epsilon
     * @param constants the manager that holds the block's constants (the weights' manager, before it is capped)
     */
    public RmsNorm(NDArray weight, double eps, NDManager constants) {
        this.weight = weight;
        this.eps = constants.create((float) eps);
        this.minusHalf = constants.create(-0.5f);
    }

    /** Normalizes {@code x} [..., dim]; the result lives with {@code x}. */
    public NDArray forward(NDArray x) {
        NDArray inverseRms = x.square().mean(new int[] {-1}, true).addi(eps).powi(minusHalf);
        return x.mul(inverseRms).muli(weight);
    }
}
