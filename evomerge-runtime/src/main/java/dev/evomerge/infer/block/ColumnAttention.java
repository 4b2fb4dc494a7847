package dev.evomerge.infer.block;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link Attention}'s {@code softmax(q·kᵀ·scale + mask)·v} for a decode step (one new column per row), on the heap
 * and the KV cache's memory, with the JDK's vector API: per row and query head, one score per visible column (the
 * pass's mask rule), the softmax over them (masked columns weigh exactly 0, as float32's lowest value makes them in
 * PyTorch), and the weighted sum of the values. Query head {@code h} reads key/value head {@code h / groups}.
 *
 * <p>Loaded only where {@link Projection#panelsFor} holds (the vector module is present); stateless, thread-safe.
 */
final class ColumnAttention {

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int LANES = SPECIES.length();
    private static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;

    private ColumnAttention() {
    }

    /**
     * Writes each row's attention output, {@code heads × dim} floats from {@code context[b·heads·dim]}.
     *
     * @param proj the rows' queries (rotated), row {@code b}'s head {@code h} at {@code proj[b·rowStride + h·dim]}
     * @param cache the block's cache, this step's column already appended
     * @param pass the decode step (its one new column is the query)
     */
    static void attend(float[] proj, int rowStride, int heads, int kvHeads, int dim, KvCache cache,
            ForwardPass pass, int window, float scale, float[] context) {
        int rows = pass.batch();
        int query = pass.past();
        int columns = query + 1;
        if (cache.length() != columns) {
            throw new IllegalStateException("the KV cache holds " + cache.length() + " columns, the step attends to "
                    + columns);
        }
        int groups = heads / kvHeads;
        int capacity = cache.capacity();
        MemorySegment keys = cache.keyMemory();
        MemorySegment values = cache.valueMemory();
        int[] visible = new int[columns];
        float[] scores = new float[columns];
        for (int b = 0; b < rows; b++) {
            int seen = 0;
            for (int j = 0; j < columns; j++) {
                if (pass.visible(b, query, j, window)) {
                    visible[seen++] = j;
                }
            }
            for (int h = 0; h < heads; h++) {
                int q = b * rowStride + h * dim;
                long head = ((long) b * kvHeads + h / groups) * capacity * dim * Float.BYTES;
                float max = Float.NEGATIVE_INFINITY;
                for (int i = 0; i < seen; i++) {
                    float s = dot(proj, q, keys, head + (long) visible[i] * dim * Float.BYTES, dim) * scale;
                    scores[i] = s;
                    max = Math.max(max, s);
                }
                float sum = 0;
                for (int i = 0; i < seen; i++) {
                    float e = (float) Math.exp(scores[i] - max);
                    scores[i] = e;
                    sum += e;
                }
                int c = (b * heads + h) * dim;
                for (int i = 0; i < seen; i++) {
                    accumulate(context, c, scores[i] / sum, values, head + (long) visible[i] * dim * Float.BYTES,
                            dim);
                }
            }
        }
    }

    /** {@code Σ x[from + i]·m[at + i]} over {@code dim} floats. */
    private static float dot(float[] x, int from, MemorySegment m, long at, int dim) {
        FloatVector sum = FloatVector.zero(SPECIES);
        int i = 0;
        for (; i <= dim - LANES; i += LANES) {
            FloatVector a = FloatVector.fromArray(SPECIES, x, from + i);
            FloatVector b = FloatVector.fromMemorySegment(SPECIES, m, at + (long) i * Float.BYTES, ORDER);
            sum = a.fma(b, sum);
        }
        float s = sum.reduceLanes(VectorOperators.ADD);
        for (; i < dim; i++) {
            s += x[from + i] * m.getAtIndex(java.lang.foreign.ValueLayout.JAVA_FLOAT, at / Float.BYTES + i);
        }
        return s;
    }

    /** {@code out[to + i] += p·m[at + i]} over {@code dim} floats. */
    private static void accumulate(float[] out, int to, float p, MemorySegment m, long at, int dim) {
        FloatVector weight = FloatVector.broadcast(SPECIES, p);
        int i = 0;
        for (; i <= dim - LANES; i += LANES) {
            FloatVector v = FloatVector.fromMemorySegment(SPECIES, m, at + (long) i * Float.BYTES, ORDER);
            v.fma(weight, FloatVector.fromArray(SPECIES, out, to + i)).intoArray(out, to + i);
        }
        for (; i < dim; i++) {
            out[to + i] += p * m.getAtIndex(java.lang.foreign.ValueLayout.JAVA_FLOAT, at / Float.BYTES + i);
        }
    }
}
