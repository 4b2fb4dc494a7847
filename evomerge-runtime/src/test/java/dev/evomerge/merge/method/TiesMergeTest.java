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

/** The TIES vector example and mask details of docs/mergekit-semantics.md §2.6, and the §2.0 shape rules. */
class TiesMergeTest {

    private static final float[] M1 = f(1, -2, 0.5, 3);
    private static final float[] M2 = f(-1, 1.5, 0.25, 2);
    private final TiesMerge ties = new TiesMerge();

    private Inputs example() {
        return Inputs.tensor().base(f(0, 0, 0, 0)).model(M1, "weight", 1, "density", 0.5)
                .model(M2, "weight", 0.5, "density", 0.5);
    }

    @Test
    void merge_documentedExample_givesMinusTwoAndTwoAndTwoThirds() {
        // sparsified δ1 = [0,−2,0,3], δ2 = [0,1.5,0,2]; majority −,+ at 1 and 3; masks m1 [0,1,0,1], m2 [0,0,0,1]
        assertArrayEquals(f(0, -2, 0, 8.0 / 3), example().mergeValues(ties), 1e-6f);
    }

    @Test
    void merge_normalizeFalse_sumsAgreeingWeightedDeltas() {
        assertArrayEquals(f(0, -2, 0, 4), example().global("normalize", false).mergeValues(ties), 0f);
    }

    @Test
    void merge_lambda_scalesMixedDeltaOnly() {
        float[] out = Inputs.tensor().base(f(1, 1)).model(f(3, 1), "weight", 1).global("lambda", 0.5)
                .mergeValues(ties);
        assertArrayEquals(f(2, 1), out, 0f);
    }

    @Test
    void merge_negativeWeight_flipsThatModelsVote() {
        // D1 = +1, D2 = −0.5·(+4) = −2: the sum is negative so only model 2 agrees; divisor Σ w·mask = −0.5
        float[] out = Inputs.tensor().base(f(0)).model(f(1), "weight", 1).model(f(4), "weight", -0.5)
                .mergeValues(ties);
        assertArrayEquals(f(4), out, 0f);
    }

    @Test
    void merge_tieInVote_goesToPlus() {
        float[] out = Inputs.tensor().base(f(0)).model(f(2), "weight", 1).model(f(-2), "weight", 1)
                .mergeValues(ties);
        assertArrayEquals(f(2), out, 0f);
    }

    @Test
    void merge_densityOne_keepsEveryElement() {
        float[] out = Inputs.tensor().base(f(0, 0)).model(f(1, 2), "weight", 1).mergeValues(ties);
        assertArrayEquals(f(1, 2), out, 0f);
    }

    @Test
    void merge_rescale_restoresL1OfEachPrunedDelta() {
        float[] out = Inputs.tensor().base(f(0, 0, 0, 0)).model(f(1, 2, 3, 4), "weight", 1, "density", 0.5)
                .global("rescale", true).mergeValues(ties);
        assertArrayEquals(f(0, 0, 3 * 10f / 7, 4 * 10f / 7), out, 1e-6f);
    }

    @Test
    void merge_nonEmbeddingShapeMismatch_skipsThatModelWithWarning() {
        Inputs in = Inputs.tensor().base(Shape.of(2), f(1, 1)).model(Shape.of(2), f(2, 3), "weight", 1)
                .model(Shape.of(3), f(9, 9, 9), "weight", 1);
        assertArrayEquals(f(2, 3), in.merge(ties).values(), 0f);
        assertEquals(List.of("skipping m2:model.layers.0.mlp.up_proj.weight due to size mismatch"), in.warnings);
    }

    @Test
    void merge_largerEmbedding_isCutToBaseSizeWithWarning() {
        Inputs in = Inputs.tensor("lm_head.weight").embedding()
                .base(Shape.of(2, 2), f(0, 0, 0, 0))
                .model(Shape.of(3, 2), f(1, 2, 3, 4, 5, 6), "weight", 1);
        var out = in.merge(ties);
        assertEquals(Shape.of(2, 2), out.shape());
        assertArrayEquals(f(1, 2, 3, 4), out.values(), 0f);
        assertEquals(List.of("Using submatrix of m1:lm_head.weight"), in.warnings);
    }

    @Test
    void check_smallerEmbeddingThanBase_fails() {
        Inputs in = Inputs.tensor("lm_head.weight").embedding()
                .base(Shape.of(3, 2), f(1, 2, 3, 4, 5, 6))
                .model(Shape.of(2, 2), f(0, 0, 0, 0), "weight", 1);
        RunException e = assertThrows(RunException.class, () -> ties.check(in.spec()));
        assertTrue(e.getMessage().contains("smaller than the base"), e.getMessage());
    }

    @Test
    void check_densityKeepingNoElement_fails() {
        Inputs in = Inputs.tensor().base(f(0, 0, 0)).model(f(1, 2, 3), "weight", 1, "density", 0.3);
        RunException e = assertThrows(RunException.class, () -> ties.check(in.spec()));
        assertTrue(e.getMessage().contains("keeps no element"), e.getMessage());
    }

    @Test
    void check_noBase_fails() {
        Inputs in = Inputs.tensor().model(f(1), "weight", 1);
        RunException e = assertThrows(RunException.class, () -> ties.check(in.spec()));
        assertTrue(e.getMessage().contains("needs the base model"), e.getMessage());
    }

    @Test
    void check_missingWeight_failsNamingModelAndTensor() {
        Inputs in = Inputs.tensor().base(f(0)).model(f(1));
        RunException e = assertThrows(RunException.class, () -> ties.check(in.spec()));
        assertEquals("missing required parameter 'weight' for m1:model.layers.0.mlp.up_proj.weight", e.getMessage());
    }

    @Test
    void check_normalizeNotABoolean_fails() {
        Inputs in = Inputs.tensor().base(f(0)).model(f(1), "weight", 1).global("normalize", 0.5);
        RunException e = assertThrows(RunException.class, () -> ties.check(in.spec()));
        assertTrue(e.getMessage().contains("must be true or false"), e.getMessage());
    }

    @Test
    void merge_onlyBase_returnsBase() {
        assertArrayEquals(f(1, 2), Inputs.tensor().base(f(1, 2)).mergeValues(ties), 0f);
    }
}
