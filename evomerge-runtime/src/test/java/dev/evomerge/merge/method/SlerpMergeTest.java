package dev.evomerge.merge.method;

import static dev.evomerge.merge.method.Inputs.f;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.evomerge.diag.RunException;
import dev.evomerge.tensor.Shape;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Worked examples of docs/mergekit-semantics.md §2.2 (verified against mergekit there). */
class SlerpMergeTest {

    private final SlerpMerge slerp = new SlerpMerge();

    @Test
    void merge_orthogonalUnitVectorsHalfway_givesDiagonal() {
        float[] out = Inputs.tensor().base(f(1, 0, 0, 0)).model(f(0, 1, 0, 0)).global("t", 0.5).mergeValues(slerp);
        assertArrayEquals(f(0.70710677, 0.70710677, 0, 0), out, 1e-6f);
    }

    @Test
    void merge_unequalNorms_keepsOriginalVectorsInBlend() {
        float[] out = Inputs.tensor().base(f(2, 0, 0, 0)).model(f(0, 1, 0, 0)).global("t", 0.3).mergeValues(slerp);
        assertArrayEquals(f(1.782013, 0.453991, 0, 0), out, 1e-6f);
    }

    @Test
    void merge_colinearVectors_lerps() {
        float[] out = Inputs.tensor().base(f(1, 0, 0, 0)).model(f(3, 0, 0, 0)).global("t", 0.5).mergeValues(slerp);
        assertArrayEquals(f(2, 0, 0, 0), out, 0f);
    }

    @Test
    void merge_tZero_givesBaseEvenWhenBaseListedSecond() {
        float[] base = f(0.3, -1, 2, 0.5);
        float[] out = Inputs.tensor().model(f(1, 1, 1, 1)).base(base).global("t", 0).mergeValues(slerp);
        assertArrayEquals(base, out, 1e-7f);
    }

    @Test
    void merge_singleInput_passesItThrough() {
        float[] only = f(1, 2, 3);
        assertArrayEquals(only, Inputs.tensor().model(only).global("t", 0.5).mergeValues(slerp), 0f);
    }

    @Test
    void merge_embeddingsOfDifferentVocab_cutsToCommonSubmatrixWithWarning() {
        Inputs in = Inputs.tensor("model.embed_tokens.weight").embedding()
                .base(Shape.of(2, 2), f(1, 0, 0, 1))
                .model(Shape.of(3, 2), f(1, 0, 0, 1, 9, 9))
                .global("t", 0.5);
        var out = in.merge(slerp);
        assertEquals(Shape.of(2, 2), out.shape());
        assertArrayEquals(f(1, 0, 0, 1), out.values(), 1e-6f);
        assertEquals(List.of("Using common submatrix of size [2, 2] for model.embed_tokens.weight"), in.warnings);
    }

    @Test
    void check_threeInputs_failsNamingTheCount() {
        Inputs in = Inputs.tensor().base(f(1)).model(f(2)).model(f(3)).global("t", 0.5);
        RunException e = assertThrows(RunException.class, () -> slerp.check(in.spec()));
        assertTrue(e.getMessage().contains("exactly two models"), e.getMessage());
    }

    @Test
    void check_twoInputsWithoutBase_fails() {
        Inputs in = Inputs.tensor().model(f(1)).model(f(2)).global("t", 0.5);
        assertThrows(RunException.class, () -> slerp.check(in.spec()));
    }

    @Test
    void check_missingT_failsWithMissingParameter() {
        Inputs in = Inputs.tensor().base(f(1)).model(f(2));
        RunException e = assertThrows(RunException.class, () -> slerp.check(in.spec()));
        assertTrue(e.getMessage().startsWith("missing required parameter 't'"), e.getMessage());
    }

    @Test
    void check_nonEmbeddingShapeMismatch_fails() {
        Inputs in = Inputs.tensor().base(Shape.of(2), f(1, 2)).model(Shape.of(3), f(1, 2, 3)).global("t", 0.5);
        RunException e = assertThrows(RunException.class, () -> slerp.check(in.spec()));
        assertTrue(e.getMessage().contains("tensor size mismatch"), e.getMessage());
    }
}
