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

/** linear, nearswap and passthrough: docs/mergekit-semantics.md §2.1, §2.10, §2.12. */
class SmallMethodsTest {

    @Test
    void linear_sixTenthsAndFourTenths_isExactFloat32Blend() {
        float[] a = f(0.1, -0.7, 3.3);
        float[] b = f(1.9, 0.25, -2);
        float[] out = Inputs.tensor().model(a, "weight", 0.6).model(b, "weight", 0.4).mergeValues(new LinearMerge());
        for (int i = 0; i < a.length; i++) {
            assertEquals((0.6f * a[i] + 0.4f * b[i]) / (0.6f + 0.4f), out[i], 0f);
        }
    }

    @Test
    void linear_normalizeFalse_isPlainWeightedSum() {
        float[] out = Inputs.tensor().model(f(1, 2), "weight", 2).model(f(3, 4), "weight", 1)
                .global("normalize", false).mergeValues(new LinearMerge());
        assertArrayEquals(f(5, 8), out, 0f);
    }

    @Test
    void linear_embeddingsOfDifferentVocab_cutToCommonSubmatrix() {
        Inputs in = Inputs.tensor("model.embed_tokens.weight").embedding()
                .model(Shape.of(3, 2), f(1, 1, 1, 1, 7, 7), "weight", 1)
                .model(Shape.of(2, 3), f(3, 3, 9, 3, 3, 9), "weight", 1);
        var out = in.merge(new LinearMerge());
        assertEquals(Shape.of(2, 2), out.shape());
        assertArrayEquals(f(2, 2, 2, 2), out.values(), 0f);
        assertEquals(1, in.warnings.size());
    }

    @Test
    void linear_baseWithoutWeight_failsExplainingTheBaseIsMerged() {
        Inputs in = Inputs.tensor().model(f(1), "weight", 1).base(f(2));
        RunException e = assertThrows(RunException.class, () -> new LinearMerge().check(in.spec()));
        assertTrue(e.getMessage().contains("the base model too"), e.getMessage());
    }

    @Test
    void linear_shapeMismatch_failsLikeMergekit() {
        Inputs in = Inputs.tensor().model(Shape.of(2), f(1, 2), "weight", 1)
                .model(Shape.of(3), f(1, 2, 3), "weight", 1);
        RunException e = assertThrows(RunException.class, () -> new LinearMerge().check(in.spec()));
        assertTrue(e.getMessage().startsWith("linear: tensor size mismatch for model.layers.0.mlp.up_proj.weight"),
                e.getMessage());
    }

    @Test
    void nearswap_documentedExample() {
        float[] out = Inputs.tensor().base(f(0, 0, 0, 0)).model(f(0, 1, 0.2, 5)).global("t", 0.5)
                .mergeValues(new NearSwapMerge());
        assertArrayEquals(f(0, 0.5, 0.2, 0.5), out, 0f);
    }

    @Test
    void nearswap_twoOthers_fails() {
        Inputs in = Inputs.tensor().base(f(0)).model(f(1)).model(f(2)).global("t", 0.5);
        assertThrows(RunException.class, () -> new NearSwapMerge().check(in.spec()));
    }

    @Test
    void nearswap_onlyBase_returnsBase() {
        assertArrayEquals(f(4), Inputs.tensor().base(f(4)).global("t", 1).mergeValues(new NearSwapMerge()), 0f);
    }

    @Test
    void passthrough_scale_multiplies() {
        float[] out = Inputs.tensor().model(f(1, -2), "scale", 0.5).mergeValues(new PassthroughMerge());
        assertArrayEquals(f(0.5, -1), out, 0f);
    }

    @Test
    void passthrough_noScale_copies() {
        assertArrayEquals(f(1, -2), Inputs.tensor().model(f(1, -2)).mergeValues(new PassthroughMerge()), 0f);
    }

    @Test
    void passthrough_twoInputs_fails() {
        Inputs in = Inputs.tensor().model(f(1)).model(f(2));
        RunException e = assertThrows(RunException.class, () -> new PassthroughMerge().check(in.spec()));
        assertTrue(e.getMessage().startsWith("passthrough takes exactly one tensor"), e.getMessage());
        assertEquals(List.of(), in.warnings);
    }
}
