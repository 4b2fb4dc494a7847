package dev.evomerge.merge.method;

import static dev.evomerge.merge.method.Inputs.f;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

/** Worked examples of docs/mergekit-semantics.md §2.7 with m1, m2 of §2.6 (verified there). */
class SceMergeTest {

    private Inputs example() {
        return Inputs.tensor().base(f(0, 0, 0, 0)).model(f(1, -2, 0.5, 3)).model(f(-1, 1.5, 0.25, 2));
    }

    @Test
    void merge_topkOne_weightsByMeanSquare() {
        assertArrayEquals(f(1, -2, 0.41522, 2.66087), example().mergeValues(new SceMerge()), 1e-5f);
    }

    @Test
    void merge_topkHalf_keepsHighestVarianceElements() {
        float[] out = example().global("select_topk", 0.5).mergeValues(new SceMerge());
        assertArrayEquals(f(1, -2, 0, 0), out, 1e-6f);
    }

    @Test
    void merge_topkZero_leavesBase() {
        float[] out = example().global("select_topk", 0).mergeValues(new SceMerge());
        assertArrayEquals(f(0, 0, 0, 0), out, 0f);
    }

    @Test
    void merge_identicalModels_usesUniformWeightsWhenTaskVectorsVanish() {
        float[] out = Inputs.tensor().base(f(1, 2)).model(f(1, 2)).model(f(1, 2)).mergeValues(new SceMerge());
        assertArrayEquals(f(1, 2), out, 0f);
    }
}
