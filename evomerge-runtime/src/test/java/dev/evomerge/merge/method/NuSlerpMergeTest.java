package dev.evomerge.merge.method;

import static dev.evomerge.merge.method.Inputs.f;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.evomerge.diag.RunException;
import dev.evomerge.tensor.Shape;
import org.junit.jupiter.api.Test;

/** Worked examples of docs/mergekit-semantics.md §2.3: A=[[1,0],[1,0]], B=[[0,1],[1,0]], t=0.5 (verified there). */
class NuSlerpMergeTest {

    private static final Shape SQUARE = Shape.of(2, 2);
    private final NuSlerpMerge nuslerp = new NuSlerpMerge();

    private Inputs ab() {
        return Inputs.tensor().model(SQUARE, f(1, 0, 1, 0), "weight", 1).model(SQUARE, f(0, 1, 1, 0), "weight", 1);
    }

    @Test
    void merge_flattenDefault_slerpsWholeTensor() {
        assertArrayEquals(f(.57735026, .57735026, 1.1547005, 0), ab().mergeValues(nuslerp), 1e-6f);
    }

    @Test
    void merge_lastDimension_slerpsEachRow() {
        float[] out = ab().global("nuslerp_flatten", false).mergeValues(nuslerp);
        assertArrayEquals(f(.70710677, .70710677, 1, 0), out, 1e-6f);
    }

    @Test
    void merge_rowWise_slerpsEachColumn() {
        float[] out = ab().global("nuslerp_flatten", false, "nuslerp_row_wise", true).mergeValues(nuslerp);
        assertArrayEquals(f(.5411961, .70710677, 1.0823922, 0), out, 1e-6f);
    }

    @Test
    void merge_weightsOneToThree_tIsThreeQuarters() {
        float[] out = Inputs.tensor().model(f(1, 0), "weight", 1).model(f(0, 1), "weight", 3).mergeValues(nuslerp);
        assertArrayEquals(f(Math.cos(0.75 * Math.PI / 2), Math.sin(0.75 * Math.PI / 2)), out, 1e-6f);
    }

    @Test
    void merge_weightsSummingToZero_usesHalfway() {
        float[] out = Inputs.tensor().model(f(1, 0), "weight", -0.5).model(f(0, 1), "weight", 0.5)
                .mergeValues(nuslerp);
        assertArrayEquals(f(.70710677, .70710677), out, 1e-6f);
    }

    @Test
    void merge_withBase_slerpsTaskVectorsAndAddsBase() {
        float[] out = Inputs.tensor().base(f(1, 1)).model(f(2, 1), "weight", 1).model(f(1, 2), "weight", 1)
                .mergeValues(nuslerp);
        assertArrayEquals(f(1.7071068, 1.7071068), out, 1e-6f);
    }

    @Test
    void check_baseAndOnlyOneOther_failsBaseCannotBeOneOfTheTwo() {
        Inputs in = Inputs.tensor().base(f(1, 1)).model(f(2, 1), "weight", 1);
        RunException e = assertThrows(RunException.class, () -> nuslerp.check(in.spec()));
        assertTrue(e.userMessage().contains("cannot be one of the two"), e.userMessage());
    }

    @Test
    void check_threeModelsWithoutBase_fails() {
        Inputs in = Inputs.tensor().model(f(1), "weight", 1).model(f(2), "weight", 1).model(f(3), "weight", 1);
        assertThrows(RunException.class, () -> nuslerp.check(in.spec()));
    }
}
