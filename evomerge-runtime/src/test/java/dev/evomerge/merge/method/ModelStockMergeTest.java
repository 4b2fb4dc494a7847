package dev.evomerge.merge.method;

import static dev.evomerge.merge.method.Inputs.f;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.evomerge.diag.RunException;
import dev.evomerge.tensor.Shape;
import java.util.List;
import org.junit.jupiter.api.Test;

/** docs/mergekit-semantics.md §2.9. */
class ModelStockMergeTest {

    private final ModelStockMerge stock = new ModelStockMerge();

    @Test
    void merge_twoOffsetsAt45Degrees_interpolatesByModelStockRatio() {
        float[] out = Inputs.tensor().base(f(0, 0)).model(f(1, 1)).model(f(1, 0)).mergeValues(stock);
        double cos = 1 / Math.sqrt(2);
        double t = 2 * cos / (1 + cos);
        assertArrayEquals(f(t, t / 2), out, 1e-6f);
    }

    @Test
    void merge_orthogonalOffsets_givesBase() {
        float[] out = Inputs.tensor().base(f(1, 1)).model(f(2, 1)).model(f(1, 2)).mergeValues(stock);
        assertArrayEquals(f(1, 1), out, 0f);
    }

    @Test
    void merge_filterWise_ratioPerRow() {
        Shape shape = Shape.of(2, 2);
        float[] out = Inputs.tensor().base(shape, f(0, 0, 0, 0)).model(shape, f(1, 1, 1, 0))
                .model(shape, f(1, 0, 0, 1)).global("filter_wise", true).mergeValues(stock);
        double cos = 1 / Math.sqrt(2);
        double t = 2 * cos / (1 + cos);
        // row 0: offsets (1,1),(1,0) at 45°; row 1: (1,0),(0,1) orthogonal → t = 0
        assertArrayEquals(f(t, t / 2, 0, 0), out, 1e-6f);
    }

    @Test
    void merge_onlyBase_returnsBase() {
        assertArrayEquals(f(3, 4), Inputs.tensor().base(f(3, 4)).mergeValues(stock), 0f);
    }

    @Test
    void merge_optionalWeightInTooFewModels_isDroppedWithWarning() {
        Inputs in = Inputs.tensor("lm_head.weight").optional().base(f(1)).model(f(2));
        assertFalse(stock.producesOutput(in.spec()));
        assertThrows(IllegalStateException.class, () -> stock.outputShape(in.spec()));
        assertTrue(stock.merge(in.input(), in.context(0)).isEmpty());
        assertEquals(List.of("Optional weight lm_head.weight not present in enough models, discarding"), in.warnings);
    }

    @Test
    void check_baseAndOneOther_failsNeedingTwoOthers() {
        Inputs in = Inputs.tensor().base(f(1)).model(f(2));
        RunException e = assertThrows(RunException.class, () -> stock.check(in.spec()));
        assertTrue(e.getMessage().contains("at least two others"), e.getMessage());
    }
}
