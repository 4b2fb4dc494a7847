package dev.evomerge.merge.method;

import static dev.evomerge.merge.method.Inputs.f;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

/** docs/mergekit-semantics.md §2.6 (magnitude_outliers) through the methods. */
class BreadcrumbsMergeTest {

    @Test
    void merge_valuesOneToTwentyDensityHalfGammaTenth_keepsNineToEighteen() {
        float[] delta = new float[20];
        float[] expected = new float[20];
        for (int i = 0; i < 20; i++) {
            delta[i] = i + 1;
            expected[i] = i + 1 >= 9 && i + 1 <= 18 ? i + 1 : 0;
        }
        float[] out = Inputs.tensor().base(new float[20]).model(delta, "weight", 1, "density", 0.5, "gamma", 0.1)
                .mergeValues(new BreadcrumbsMerge());
        assertArrayEquals(expected, out, 0f);
    }

    @Test
    void merge_fewerThanHundredElementsDefaultGamma_leavesBase() {
        float[] base = f(1, 2, 3, 4);
        float[] out = Inputs.tensor().base(base).model(f(5, 6, 7, 8), "weight", 1, "density", 0.5)
                .mergeValues(new BreadcrumbsMerge());
        assertArrayEquals(base, out, 0f);
    }

    @Test
    void merge_gammaZero_leavesBaseForAnySize() {
        float[] base = new float[1000];
        float[] x = new float[1000];
        for (int i = 0; i < x.length; i++) {
            x[i] = i;
        }
        float[] out = Inputs.tensor().base(base).model(x, "weight", 1, "density", 0.5, "gamma", 0)
                .mergeValues(new BreadcrumbsTiesMerge());
        assertArrayEquals(base, out, 0f);
    }

    @Test
    void merge_densityOne_keepsOutliersToo() {
        float[] out = Inputs.tensor().base(f(0, 0)).model(f(1, 100), "weight", 1)
                .mergeValues(new BreadcrumbsMerge());
        assertArrayEquals(f(1, 100), out, 0f);
    }
}
