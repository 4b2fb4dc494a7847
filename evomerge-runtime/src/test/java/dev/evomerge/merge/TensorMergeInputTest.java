package dev.evomerge.merge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.evomerge.tensor.Shape;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Validation of the kernel-call records. */
class TensorMergeInputTest {

    private static InputTensor input(int index, long numel) {
        return new InputTensor(index, "m" + index, "w", Shape.of(numel), ParameterValues.empty());
    }

    private static TensorMergeSpec spec(long numel) {
        return new TensorMergeSpec("w", false, false, List.of(input(0, numel), input(1, numel)), 0,
                ParameterValues.empty());
    }

    @Test
    void constructor_lengthNotMatchingShape_rejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new TensorMergeInput(spec(3), List.of(new float[3], new float[2])));
        assertEquals("input m1:w has shape [3] but 2 values", e.getMessage());
    }

    @Test
    void constructor_sharedArray_rejected() {
        float[] shared = new float[3];
        assertThrows(IllegalArgumentException.class, () -> new TensorMergeInput(spec(3), List.of(shared, shared)));
    }

    @Test
    void spec_baseIndexOutOfRange_rejected() {
        assertThrows(IllegalArgumentException.class, () -> new TensorMergeSpec("w", false, false,
                List.of(input(0, 1)), 1, ParameterValues.empty()));
        assertThrows(IllegalArgumentException.class, () -> new TensorMergeSpec("w", false, false, List.of(), -1,
                ParameterValues.empty()));
    }

    @Test
    void mergedTensor_lengthNotMatchingShape_rejected() {
        assertThrows(IllegalArgumentException.class, () -> new MergedTensor(Shape.of(2, 2), new float[3]));
    }

    @Test
    void parameterValues_booleansBecomeOneAndZero_andNullsRejected() {
        assertEquals(Map.of("normalize", 1.0, "int8_mask", 0.0),
                ParameterValues.of("normalize", true, "int8_mask", false).values());
        java.util.HashMap<String, Double> withNull = new java.util.HashMap<>();
        withNull.put("weight", null);
        assertThrows(NullPointerException.class, () -> new ParameterValues(withNull));
    }
}
