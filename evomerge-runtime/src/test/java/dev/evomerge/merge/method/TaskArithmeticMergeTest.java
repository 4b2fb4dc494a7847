package dev.evomerge.merge.method;

import static dev.evomerge.merge.method.Inputs.f;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

/** docs/mergekit-semantics.md §2.6 without sparsification or consensus. */
class TaskArithmeticMergeTest {

    private final TaskArithmeticMerge taskArithmetic = new TaskArithmeticMerge();

    @Test
    void merge_weightedTaskVectors_addedToBase() {
        float[] out = Inputs.tensor().base(f(1, 1)).model(f(2, 1), "weight", 0.5).model(f(1, 3), "weight", 1)
                .mergeValues(taskArithmetic);
        assertArrayEquals(f(1.5, 3), out, 0f);
    }

    @Test
    void merge_normalize_dividesByWeightSum() {
        float[] out = Inputs.tensor().base(f(0)).model(f(2), "weight", 0.5).model(f(4), "weight", 1.5)
                .global("normalize", true).mergeValues(taskArithmetic);
        assertArrayEquals(f(3.5), out, 0f);
    }

    @Test
    void merge_normalizeWithWeightsSummingToZero_usesDivisorOne() {
        float[] out = Inputs.tensor().base(f(0)).model(f(2), "weight", 1).model(f(4), "weight", -1)
                .global("normalize", true).mergeValues(taskArithmetic);
        assertArrayEquals(f(-2), out, 0f);
    }

    @Test
    void merge_density_isIgnored() {
        float[] out = Inputs.tensor().base(f(0, 0)).model(f(1, 2), "weight", 1, "density", 0.1)
                .mergeValues(taskArithmetic);
        assertArrayEquals(f(1, 2), out, 0f);
    }

    @Test
    void merge_lambda_scalesTheSum() {
        float[] out = Inputs.tensor().base(f(1)).model(f(3), "weight", 1).global("lambda", 2)
                .mergeValues(taskArithmetic);
        assertArrayEquals(f(5), out, 0f);
    }
}
