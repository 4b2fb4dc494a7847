package dev.evomerge.merge.method;

import static dev.evomerge.merge.method.Inputs.f;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

/** docs/mergekit-semantics.md §2.8. */
class RamMergeTest {

    private Inputs example() {
        return Inputs.tensor().base(f(0, 0, 0, 0)).model(f(1, 0, 2, 0)).model(f(3, 0, 0, 0));
    }

    @Test
    void ram_uniqueTakenSharedAveraged() {
        assertArrayEquals(f(2, 0, 2, 0), example().mergeValues(new RamMerge()), 0f);
    }

    @Test
    void ram_changesBelowEpsilon_areDropped() {
        float[] out = Inputs.tensor().base(f(1, 1)).model(f(1.000001, 3)).global("epsilon", 1e-3)
                .mergeValues(new RamMerge());
        assertArrayEquals(f(1, 3), out, 0f);
    }

    @Test
    void ramPlus_defaults_amplifyUniqueByOnePlusRTimesClampedRatio() {
        // model 1: shared 1, unique 1 → ρ = 1 → λ = 1 + 0.1·min(1, 0.2) = 1.02; model 2 has no unique element
        assertArrayEquals(f(2, 0, 2 * 1.02f, 0), example().mergeValues(new RamPlusTlMerge()), 0f);
    }

    @Test
    void ramPlus_customRAndAlpha() {
        // λ₁ = 1 + 0.5·min(1, 0.6) = 1.3
        float[] out = example().global("r", 0.5, "alpha", 0.6).mergeValues(new RamPlusTlMerge());
        assertArrayEquals(f(2, 0, 2 * 1.3f, 0), out, 0f);
    }
}
