package dev.evomerge.infer.block;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import dev.evomerge.infer.family.Rope;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Rotary position embeddings (transformers' {@code apply_rotary_pos_emb} with {@code rotate_half}): each head's
 * vector {@code x = [x1, x2]} (two halves) becomes {@code x·cos + [-x2, x1]·sin}, with the angles
 * {@code position · inv_freq} repeated over both halves. The sign of {@code -x2} is folded into the sin table, so a
 * rotation is {@code x·cos + [x2, x1]·sin'} with {@code sin' = [-sin, sin]}.
 *
 * <p>Angles are float32 products, as transformers computes them; cos and sin are rounded from double.
 *
 * <p>Immutable and thread-safe; it holds no arrays (tables belong to each {@link ForwardPass}).
 */
public final class RotaryEmbedding {

    /** [headDim / 2] */
    private final float[] inverseFrequencies;
    private final int dim;

    public RotaryEmbedding(Rope rope, int headDim) {
        this.inverseFrequencies = rope.inverseFrequencies(headDim);
        this.dim = headDim;
    }

    /** The rotated width (the head dimension). */
    public int dim() {
        return dim;
    }

    /**
     * Rotates {@code x} [batch, heads, length, headDim] by the positions of the pass's new columns.
     *
     * @return a new array of the same shape, living with {@code x}
     */
    public NDArray apply(NDArray x, ForwardPass pass) {
        NDArray[] tables = pass.rotaryTables(this);
        int half = dim / 2;
        NDArray x1 = Tensors.slice(x, 3, 0, half, x.getManager());
        NDArray x2 = Tensors.slice(x, 3, half, dim, x.getManager());
        NDArray swapped = x2.concat(x1, 3);
        return x.mul(tables[0]).addi(swapped.muli(tables[1]));
    }

    /**
     * Rotates {@code heads} consecutive head vectors in place, {@code data[offset ..]}, by position
     * {@code position}: {@link #apply}'s arithmetic (each product rounded to float, then the sum), on the heap.
     */
    void rotate(float[] data, int offset, int heads, float position) {
        int half = dim / 2;
        float[] cos = new float[half];
        float[] sin = new float[half];
        for (int i = 0; i < half; i++) {
            float angle = inverseFrequencies[i] * position;
            cos[i] = (float) Math.cos(angle);
            sin[i] = (float) Math.sin(angle);
        }
        for (int h = 0; h < heads; h++) {
            int base = offset + h * dim;
            for (int i = 0; i < half; i++) {
                float x1 = data[base + i];
                float x2 = data[base + half + i];
                float first = x1 * cos[i];
                float second = x2 * cos[i];
                data[base + i] = first + x2 * -sin[i];
                data[base + half + i] = second + x1 * sin[i];
            }
        }
    }

    /** cos and sign-folded sin, [batch, 1, length, headDim], for the pass's new columns. */
    NDArray[] tables(ForwardPass pass, Arena arena) {
        int rows = pass.batch();
        int length = pass.length();
        Shape shape = new Shape(rows, 1, length, dim);
        Tensors.Native cos = Tensors.floats(pass.manager(), arena, shape);
        Tensors.Native sin = Tensors.floats(pass.manager(), arena, shape);
        MemorySegment c = cos.memory();
        MemorySegment s = sin.memory();
        int half = dim / 2;
        for (int b = 0; b < rows; b++) {
            for (int t = 0; t < length; t++) {
                float position = pass.position(b, pass.past() + t);
                long base = ((long) b * length + t) * dim;
                for (int i = 0; i < half; i++) {
                    float angle = inverseFrequencies[i] * position;
                    float cv = (float) Math.cos(angle);
                    float sv = (float) Math.sin(angle);
                    c.setAtIndex(ValueLayout.JAVA_FLOAT, base + i, cv);
                    c.setAtIndex(ValueLayout.JAVA_FLOAT, base + half + i, cv);
                    s.setAtIndex(ValueLayout.JAVA_FLOAT, base + i, -sv);
                    s.setAtIndex(ValueLayout.JAVA_FLOAT, base + half + i, sv);
                }
            }
        }
        return new NDArray[] {cos.array(), sin.array()};
    }
}
