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

    /** [2·intermediate, hidden]: gate_proj's rows, then up_proj's (biases likewise) */
    private final Projection gateUp;
    /** down_proj, [hidden, intermediate] */
    private final Projection down;
    private final long intermediate;

    public Mlp(Projection gateUp, Projection down) {
        this.gateUp = gateUp;
        this.down = down;
        this.intermediate = gateUp.out() / 2;
    }

    /** {@code x} [batch, length, hidden] to [batch, length, hidden], living with {@code x}. */
    public NDArray forward(NDArray x) {
        NDList gu = gateUp.apply(x).split(new long[] {intermediate}, 2);
        NDArray gate = gu.get(0);
        NDArray sigmoid = gate.getNDArrayInternal().sigmoid();
        // under autograd the sigmoid is kept for the backward pass and may not be overwritten
        NDArray silu = Tensors.recording() ? sigmoid.mul(gate) : sigmoid.muli(gate);
        return down.apply(silu.muli(gu.get(1)));
    }

    /** Whether {@link #decode} runs for {@code rows} rows (the panel kernel takes them). */
    boolean decodes(int rows) {
        return gateUp.panelsFor(rows) && down.panelsFor(rows);
    }

    /**
     * {@link #forward} on the heap for a decode step, the projections on the panel kernel: {@code x} is
     * {@code rows × hidden} floats, so is the result. The sigmoid is {@code 1 / (1 + e^-g)}, rounded to float.
     */
    float[] decode(float[] x, int rows) {
        float[] gu = gateUp.multiply(x, rows);
        int width = (int) intermediate;
        float[] product = new float[rows * width];
        for (int r = 0; r < rows; r++) {
            int from = r * 2 * width;
            for (int i = 0; i < width; i++) {
                float gate = gu[from + i];
                float sigmoid = (float) (1 / (1 + Math.exp(-gate)));
                product[r * width + i] = sigmoid * gate * gu[from + width + i];
            }
        }
        return down.multiply(product, rows);
    }
}
