package dev.evomerge.merge.method;

import static dev.evomerge.merge.method.Inputs.f;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.evomerge.diag.RunException;
import org.junit.jupiter.api.Test;

/** docs/mergekit-semantics.md §2.4. */
class MultiSlerpMergeTest {

    private final MultiSlerpMerge multislerp = new MultiSlerpMerge();

    @Test
    void merge_twoOrthogonalEqualWeights_givesBisectorWithMeanNorm() {
        float[] out = Inputs.tensor().model(f(2, 0), "weight", 1).model(f(0, 2), "weight", 1).mergeValues(multislerp);
        assertArrayEquals(f(Math.sqrt(2), Math.sqrt(2)), out, 1e-5f);
    }

    @Test
    void merge_threeAxesUnnormalisedWeights_givesWeightedMeanDirectionTimesMeanNorm() {
        // weights 1,1,2 → .25,.25,.5; m = (.25,.25,.5)/‖·‖; Σ wᵢτᵢ vanishes since m is the weighted mean's
        // direction, so the result is m·Σ wᵢ‖xᵢ‖ = m·1
        float[] out = Inputs.tensor().model(f(1, 0, 0), "weight", 1).model(f(0, 1, 0), "weight", 1)
                .model(f(0, 0, 1), "weight", 2).mergeValues(multislerp);
        double n = Math.sqrt(.25 * .25 * 2 + .5 * .5);
        assertArrayEquals(f(.25 / n, .25 / n, .5 / n), out, 1e-6f);
    }

    @Test
    void merge_withBase_interpolatesDifferencesAndAddsBase() {
        float[] out = Inputs.tensor().base(f(1, 1)).model(f(3, 1), "weight", 1).model(f(1, 3), "weight", 1)
                .mergeValues(multislerp);
        assertArrayEquals(f(1 + Math.sqrt(2), 1 + Math.sqrt(2)), out, 1e-5f);
    }

    @Test
    void merge_singleModelBesidesBase_returnsItUnchanged() {
        float[] out = Inputs.tensor().base(f(1, 1)).model(f(3, 1), "weight", 1).mergeValues(multislerp);
        assertArrayEquals(f(3, 1), out, 0f);
    }

    @Test
    void merge_twoAntipodalEqualWeights_fallsBackToLinearBlend() {
        float[] out = Inputs.tensor().model(f(1, 0), "weight", 1).model(f(-1, 0), "weight", 1).mergeValues(multislerp);
        assertArrayEquals(f(0, 0), out, 0f);
    }

    @Test
    void merge_threeBalancedInputs_failsZeroWeightedSum() {
        Inputs in = Inputs.tensor().model(f(1, 0), "weight", 1).model(f(-1, 0), "weight", 2)
                .model(f(1, 0), "weight", 1);
        assertThrows(RunException.class, () -> in.merge(multislerp));
    }
}
