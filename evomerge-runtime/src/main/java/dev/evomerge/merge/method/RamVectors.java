package dev.evomerge.merge.method;

import dev.evomerge.diag.RunException;
import dev.evomerge.merge.TensorMergeInput;
import dev.evomerge.merge.TensorMergeSpec;

/**
 * The task vectors and activity counts both RAM methods ({@link RamMethod}) start from (mergekit's
 * {@code _prepare_ram_vectors}): {@code τᵢ = xᵢ − base} in place in each model's array, an element being active
 * where {@code |τᵢ| > epsilon}, and the number of active models per element.
 *
 * <p>One per call; not thread-safe.
 */
final class RamVectors {

    final float[] base;
    final float[][] tv;
    /** Active models per element. */
    final byte[] counts;
    final float epsilon;

    private RamVectors(float[] base, float[][] tv, byte[] counts, float epsilon) {
        this.base = base;
        this.tv = tv;
        this.counts = counts;
        this.epsilon = epsilon;
    }

    static RamVectors of(TensorMergeInput input, double epsilon) {
        TensorMergeSpec spec = input.spec();
        int[] others = Operands.othersOf(spec);
        if (others.length > Byte.MAX_VALUE) {
            throw new RunException("RAM counts at most 127 models per tensor, got " + others.length,
                    "merge fewer models at once");
        }
        float[] base = input.values(spec.baseIndex());
        float eps = (float) epsilon;
        float[][] tv = new float[others.length][];
        byte[] counts = new byte[base.length];
        for (int i = 0; i < others.length; i++) {
            float[] t = input.values(others[i]);
            for (int e = 0; e < t.length; e++) {
                t[e] -= base[e];
                if (Math.abs(t[e]) > eps) {
                    counts[e]++;
                }
            }
            tv[i] = t;
        }
        return new RamVectors(base, tv, counts, eps);
    }

    boolean active(int model, int e) {
        return Math.abs(tv[model][e]) > epsilon;
    }
}
