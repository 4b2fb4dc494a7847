package dev.evomerge.merge.method;

import static dev.evomerge.merge.method.Inputs.f;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.evomerge.diag.RunException;
import org.junit.jupiter.api.Test;

/** docs/mergekit-semantics.md §2.5. */
class KarcherMergeTest {

    private final KarcherMerge karcher = new KarcherMerge();

    @Test
    void merge_twoOrthogonalUnitVectors_givesNormalisedBisector() {
        float[] out = Inputs.tensor().model(f(1, 0, 0, 0)).model(f(0, 1, 0, 0)).mergeValues(karcher);
        assertArrayEquals(f(.70710677, .70710677, 0, 0), out, 1e-6f);
    }

    @Test
    void merge_threeAxes_givesEqualComponentsWithMeanNorm() {
        float[] out = Inputs.tensor().model(f(2, 0, 0)).model(f(0, 2, 0)).model(f(0, 0, 2)).mergeValues(karcher);
        float c = (float) (2 / Math.sqrt(3));
        assertArrayEquals(f(c, c, c), out, 1e-5f);
    }

    @Test
    void merge_zeroVector_dropsFromDirectionButCountsInScale() {
        float[] out = Inputs.tensor().model(f(0, 0)).model(f(0, 3)).mergeValues(karcher);
        assertArrayEquals(f(0, 1.5), out, 1e-6f);
    }

    @Test
    void merge_allZero_givesZeros() {
        assertArrayEquals(f(0, 0), Inputs.tensor().model(f(0, 0)).model(f(0, 0)).mergeValues(karcher), 0f);
    }

    @Test
    void merge_baseModel_isJustAnotherInput() {
        float[] out = Inputs.tensor().base(f(1, 0, 0, 0)).model(f(0, 1, 0, 0)).mergeValues(karcher);
        assertArrayEquals(f(.70710677, .70710677, 0, 0), out, 1e-6f);
    }

    @Test
    void check_fractionalMaxIter_fails() {
        Inputs in = Inputs.tensor().model(f(1)).model(f(2)).global("max_iter", 2.5);
        RunException e = assertThrows(RunException.class, () -> karcher.check(in.spec()));
        assertTrue(e.getMessage().contains("whole number"), e.getMessage());
    }
}
