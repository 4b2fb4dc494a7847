package dev.evomerge.infer.block;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.evomerge.infer.family.Rope;
import org.junit.jupiter.api.Test;

class ForwardPassTest {

    private static final float M = -Float.MAX_VALUE;

    @Test
    void mask_leftPaddingAndCausality_hidePaddingAndTheFuture() {
        try (NDManager m = NDManager.newBaseManager(); ForwardPass pass = new ForwardPass(m, new int[] {2, 0}, 0, 4)) {
            NDArray mask = pass.mask(0);
            assertEquals(new Shape(2, 1, 4, 4), mask.getShape());
            assertArrayEquals(new float[] {
                M, M, M, M, M, M, M, M, M, M, 0, M, M, M, 0, 0,
                0, M, M, M, 0, 0, M, M, 0, 0, 0, M, 0, 0, 0, 0}, mask.toFloatArray());
            assertSame(mask, pass.mask(0), "built once per pass");
        }
    }

    @Test
    void mask_slidingWindow_seesOnlyTheLastWindowColumns() {
        try (NDManager m = NDManager.newBaseManager(); ForwardPass pass = new ForwardPass(m, new int[] {0}, 2, 2)) {
            // queries at columns 2 and 3 over columns 0..3, window 2: column c sees c-1 and c
            assertArrayEquals(new float[] {M, 0, 0, M, M, M, 0, 0}, pass.mask(2).toFloatArray());
            assertArrayEquals(new float[] {0, 0, 0, M, 0, 0, 0, 0}, pass.mask(0).toFloatArray());
        }
    }

    @Test
    void mask_oneNewColumnNoPadding_nothingToMask() {
        try (NDManager m = NDManager.newBaseManager(); ForwardPass pass = new ForwardPass(m, new int[] {0, 0}, 5, 1)) {
            assertNull(pass.mask(0));
            assertNull(pass.mask(8));
        }
    }

    @Test
    void position_countsFromTheFirstRealToken() {
        try (NDManager m = NDManager.newBaseManager(); ForwardPass pass = new ForwardPass(m, new int[] {3, 0}, 4, 1)) {
            assertEquals(1, pass.position(0, 4));
            assertEquals(4, pass.position(1, 4));
            assertEquals(0, pass.position(0, 1), "padding");
        }
    }

    @Test
    void withGaps_paddingBetweenASharedPrefixAndTheRow_skippedByPositionsMaskAndWindow() {
        // two cached columns shared by both rows, then row 0 has one padding column before its two tokens
        try (NDManager m = NDManager.newBaseManager();
                ForwardPass pass = ForwardPass.withGaps(m, new int[] {2, 2}, new int[] {3, 2}, 2, 3)) {
            assertEquals(2, pass.position(0, 3));
            assertEquals(3, pass.position(0, 4));
            assertEquals(4, pass.position(1, 4));
            // row 0: queries at columns 2 (padding), 3 and 4 over columns 0..4; column 2 is never seen
            assertArrayEquals(new float[] {
                0, 0, M, M, M, 0, 0, M, 0, M, 0, 0, M, 0, 0,
                0, 0, 0, M, M, 0, 0, 0, 0, M, 0, 0, 0, 0, 0}, pass.mask(0).toFloatArray());
            // window 2 counts positions: row 0's column 4 (position 3) sees column 3 (position 2), not column 1
            float[] windowed = pass.mask(2).toFloatArray();
            assertArrayEquals(new float[] {M, M, M, 0, 0}, java.util.Arrays.copyOfRange(windowed, 10, 15));
            assertArrayEquals(new float[] {M, 0, M, 0, M}, java.util.Arrays.copyOfRange(windowed, 5, 10));
        }
    }

    @Test
    void constructor_rowOfOnlyPadding_refused() {
        try (NDManager m = NDManager.newBaseManager()) {
            assertThrows(IllegalArgumentException.class, () -> new ForwardPass(m, new int[] {3}, 0, 3));
        }
    }

    @Test
    void rotary_positionZeroIsIdentityAndRotationKeepsNorms() {
        try (NDManager m = NDManager.newBaseManager(); ForwardPass pass = new ForwardPass(m, new int[] {1}, 0, 3)) {
            RotaryEmbedding rotary = new RotaryEmbedding(Rope.of(10000.0), 4);
            float[] x = {1, 2, 3, 4, 1, 2, 3, 4, 1, 2, 3, 4};
            NDArray in = pass.manager().create(x, new Shape(1, 1, 3, 4));
            float[] out = rotary.apply(in, pass).toFloatArray();
            // columns 0 (padding) and 1 have position 0: unrotated
            assertArrayEquals(new float[] {1, 2, 3, 4, 1, 2, 3, 4}, java.util.Arrays.copyOf(out, 8), 1e-7f);
            // column 2 has position 1: pairs (x_i, x_{i+2}) turned by angle inv_freq_i
            double c0 = Math.cos(1);
            double s0 = Math.sin(1);
            assertEquals(1 * c0 - 3 * s0, out[8], 1e-6);
            assertEquals(3 * c0 + 1 * s0, out[10], 1e-6);
            double c1 = Math.cos(0.01);
            double s1 = Math.sin(0.01);
            assertEquals(2 * c1 - 4 * s1, out[9], 1e-6);
            assertEquals(4 * c1 + 2 * s1, out[11], 1e-6);
        }
    }

    @Test
    void kvCache_appendsInPlaceAndReturnsWhatItHolds() {
        try (NDManager m = NDManager.newBaseManager()) {
            KvCache cache = new KvCache(m, 1, 1, 3, 2);
            NDArray k1 = m.create(new float[] {1, 2, 3, 4}, new Shape(1, 1, 2, 2));
            NDArray[] held = cache.append(k1, k1.mul(10));
            assertArrayEquals(new float[] {1, 2, 3, 4}, held[0].toFloatArray());
            NDArray k2 = m.create(new float[] {5, 6}, new Shape(1, 1, 1, 2));
            held = cache.append(k2, k2.mul(10));
            assertArrayEquals(new float[] {10, 20, 30, 40, 50, 60}, held[1].toFloatArray());
            assertEquals(3, cache.length());
            assertThrows(IllegalStateException.class, () -> cache.append(k2, k2));
            assertEquals(DataType.FLOAT32, held[0].getDataType());
        }
    }
}
