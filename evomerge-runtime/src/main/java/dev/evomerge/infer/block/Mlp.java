package dev.evomerge.infer.block;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

/**
 * The SwiGLU feed-forward block (transformers' {@code LlamaMLP}): {@code down(silu(gate(x)) · up(x))}. The gate and
 * up projections are stored as one matrix so that one matrix product serves both.
 *
 * <p>Immutable and thread-safe.
 */
public final class Mlp {

    /** [2·intermediate, hidden]: gate_proj's rows, then up_proj's */
    private final NDArray gateUp;
    /** [2·intermediate], or null */
    private final NDArray gateUpBias;
    /** [hidden, intermediate] */
    private final NDArray down;
    /** [hidden], or null */
    private final NDArray downBias;
    private final long intermediate;

    public Mlp(NDArray gateUp, NDArray gateUpBias, NDArray down, NDArray downBias) {
        this.gateUp = gateUp;
        this.gateUpBias = gateUpBias;
        this.down = down;
        this.downBias = downBias;
        this.intermediate = gateUp.getShape().get(0) / 2;
    }

    /** {@code x} [batch, length, hidden] to [batch, length, hidden], living with {@code x}. */
    public NDArray forward(NDArray x) {
        NDList gu = Tensors.linear(x, gateUp, gateUpBias).split(new long[] {intermediate}, 2);
        NDArray gate = gu.get(0);
        NDArray sigmoid = gate.getNDArrayInternal().sigmoid();
        // under autograd the sigmoid is kept for the backward pass and may not be overwritten
        NDArray silu = Tensors.recording() ? sigmoid.mul(gate) : sigmoid.muli(gate);
        return Tensors.linear(silu.muli(gu.get(1)), down, downBias);
    }
}
