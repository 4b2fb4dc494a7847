package dev.evomerge.dataflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.evomerge.dataflow.LayerPath.Step;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class LayerPathTest {

    private static final List<Step> STEPS = List.of(new Step(1, 0, 0.5), new Step(0, 3, 1.25), new Step(2, 1, 0.75));

    @Test
    void scales_followTheDataFlowSemantics() {
        LayerPath p = LayerPath.constrained(STEPS);
        assertEquals(0.5, p.embeddingScale(), "s0 scales the embeddings");
        assertEquals(1.25, p.mlpScale(0), "step 0's MLP output takes s1");
        assertEquals(0.75, p.mlpScale(1), "step 1's MLP output takes s2");
        assertEquals(1.0, p.mlpScale(2), "the last step's MLP output is unscaled");
        assertThrows(IndexOutOfBoundsException.class, () -> p.mlpScale(3));
    }

    @Test
    void constrained_endsFromModelA() {
        LayerPath p = LayerPath.constrained(STEPS);
        assertEquals(0, p.embeddingModel());
        assertEquals(0, p.headModel());
    }

    @Test
    void unconstrained_embeddingsFromFirstStepHeadFromLast() {
        LayerPath p = LayerPath.unconstrained(STEPS);
        assertEquals(1, p.embeddingModel());
        assertEquals(2, p.headModel());
        assertEquals(new TreeSet<>(List.of(0, 1, 2)), p.models());
    }

    @Test
    void plain_everyLayerOnceUnscaled() {
        LayerPath p = LayerPath.plain(1, 3);
        assertEquals(List.of(new Step(1, 0, 1), new Step(1, 1, 1), new Step(1, 2, 1)), p.steps());
        assertEquals(1, p.embeddingModel());
        assertEquals(1, p.headModel());
        SortedSet<Integer> models = p.models();
        assertEquals(List.of(1), List.copyOf(models));
    }

    @Test
    void constructor_badValues_refusedWithTheValue() {
        assertEquals("a layer path needs at least one step",
                assertThrows(IllegalArgumentException.class, () -> LayerPath.constrained(List.of())).getMessage());
        assertEquals("scale must be finite, got NaN",
                assertThrows(IllegalArgumentException.class, () -> new Step(0, 0, Double.NaN)).getMessage());
        assertEquals("layer index must be >= 0, got -1",
                assertThrows(IllegalArgumentException.class, () -> new Step(0, -1, 1)).getMessage());
        assertEquals("model index must be >= 0, got -2",
                assertThrows(IllegalArgumentException.class, () -> new Step(-2, 0, 1)).getMessage());
    }

    @Test
    void checkAgainst_missingModelOrLayer_namesTheStep() {
        LayerPath p = LayerPath.constrained(STEPS);
        p.checkAgainst(List.of(4, 1, 2));
        assertEquals("step 2 (2:1×0.75) uses layer 1 of model 2, which has 1 layers",
                assertThrows(IllegalArgumentException.class, () -> p.checkAgainst(List.of(4, 1, 1))).getMessage());
        assertEquals("step 2 (2:1×0.75) uses model 2, but there are 2 models",
                assertThrows(IllegalArgumentException.class, () -> p.checkAgainst(List.of(4, 1))).getMessage());
        LayerPath head = new LayerPath(List.of(new Step(0, 0, 1)), 0, 3);
        assertEquals("the head comes from model 3, but there is 1 model",
                assertThrows(IllegalArgumentException.class, () -> head.checkAgainst(List.of(2))).getMessage());
    }

    @Test
    void steps_areCopied() {
        var steps = new java.util.ArrayList<>(STEPS);
        LayerPath p = LayerPath.constrained(steps);
        steps.clear();
        assertEquals(3, p.size());
        assertThrows(UnsupportedOperationException.class, () -> p.steps().clear());
    }

    @Test
    void toString_readable() {
        assertEquals("[1:0×0.5, 0:3×1.25, 2:1×0.75] (embeddings 0, head 0)", LayerPath.constrained(STEPS).toString());
    }
}
