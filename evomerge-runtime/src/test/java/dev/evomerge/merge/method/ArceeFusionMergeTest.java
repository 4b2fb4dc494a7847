package dev.evomerge.merge.method;

import static dev.evomerge.merge.method.Inputs.f;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.evomerge.diag.RunException;
import dev.evomerge.merge.CounterRandom;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** docs/mergekit-semantics.md §2.11. */
class ArceeFusionMergeTest {

    @Test
    void merge_oneDimensional_keepsOnlyChangesAboveMedianPlusIqr() {
        // One row, so KL is a common factor: the threshold is 0.4 + 1.5·(0.6 − 0.2) = 1.0 in units of |diff|
        float[] x = f(0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 5);
        float[] out = Inputs.tensor().base(new float[8]).model(x).mergeValues(new ArceeFusionMerge());
        assertArrayEquals(f(0, 0, 0, 0, 0, 0, 0, 5), out, 0f);
    }

    @Test
    void quantileIndex_isFloorOfFloatProduct() {
        assertEquals(3, ArceeFusionMerge.quantileIndex(0.5f, 8));
        assertEquals(1, ArceeFusionMerge.quantileIndex(0.25f, 8));
        assertEquals(5, ArceeFusionMerge.quantileIndex(0.75f, 8));
    }

    @Test
    void threshold_largeTensor_samplesDeterministicallyAndCloseToExact() {
        int n = 1_200_000;
        float[] importance = new float[n];
        for (int i = 0; i < n; i++) {
            importance[i] = (float) ((i * 7919L) % n) / n;
        }
        CounterRandom.Draws draws = new CounterRandom(3).draws("lm_head.weight", 1);
        float first = ArceeFusionMerge.threshold(importance, draws);
        float again = ArceeFusionMerge.threshold(importance, draws);
        assertEquals(first, again, 0f);
        // uniform on [0,1): median 0.5, IQR 0.5 → 1.25
        assertEquals(1.25f, first, 0.005f);
        float[] sample = ArceeFusionMerge.sample(importance, draws);
        assertEquals(ArceeFusionMerge.SAMPLE_SIZE, sample.length);
        assertEquals(ArceeFusionMerge.SAMPLE_SIZE, Arrays.stream(box(sample)).distinct().count());
    }

    @Test
    void check_threeInputs_fails() {
        Inputs in = Inputs.tensor().base(f(0)).model(f(1)).model(f(2));
        assertThrows(RunException.class, () -> new ArceeFusionMerge().check(in.spec()));
    }

    private static double[] box(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return d;
    }
}
