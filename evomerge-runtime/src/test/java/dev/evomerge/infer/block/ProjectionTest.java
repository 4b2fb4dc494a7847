package dev.evomerge.infer.block;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ProjectionTest {

    /** 70 outputs: two full panels of 32 (16 on AVX2) and a partial one; 37 inputs: no multiple of anything. */
    private static final int OUT = 70;
    private static final int IN = 37;

    @ParameterizedTest
    @CsvSource({"1, false", "5, true", "8, false", "13, true", "32, true"})
    void panelKernel_matchesADoubleReferenceWithinFloatRounding(int rows, boolean withBias) {
        assumeTrue(Projection.panelsAvailable(), "needs --add-modules jdk.incubator.vector and AVX2");
        SplittableRandom rnd = new SplittableRandom(rows);
        float[] w = uniform(rnd, OUT * IN);
        float[] b = withBias ? uniform(rnd, OUT) : null;
        float[] x = uniform(rnd, rows * IN);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment weight = arena.allocate((long) w.length * Float.BYTES, 64);
            MemorySegment.copy(w, 0, weight, ValueLayout.JAVA_FLOAT, 0, w.length);
            PanelKernel.Panels panels = PanelKernel.pack(weight, OUT, IN, b, arena);
            float[] padded = Arrays.copyOf(x, (rows + 7) / 8 * 8 * IN);
            // one float past the output: nothing may be written there
            MemorySegment y = arena.allocate((long) (rows * OUT + 1) * Float.BYTES, 64);
            y.setAtIndex(ValueLayout.JAVA_FLOAT, rows * OUT, 42f);
            PanelKernel.multiply(panels, padded, rows, y);
            for (int r = 0; r < rows; r++) {
                for (int n = 0; n < OUT; n++) {
                    double sum = b == null ? 0 : b[n];
                    double magnitude = Math.abs(sum);
                    for (int k = 0; k < IN; k++) {
                        sum += (double) x[r * IN + k] * w[n * IN + k];
                        magnitude += Math.abs((double) x[r * IN + k] * w[n * IN + k]);
                    }
                    float got = y.getAtIndex(ValueLayout.JAVA_FLOAT, (long) r * OUT + n);
                    assertEquals(sum, got, 1e-6 * magnitude + 1e-7, "row " + r + ", column " + n);
                }
            }
            assertEquals(42f, y.getAtIndex(ValueLayout.JAVA_FLOAT, rows * OUT));
        }
    }

    @Test
    void apply_isPyTorchsLinear_theKernelRunsOnlyForHeapDecodeSteps() {
        assumeTrue(Projection.panelsAvailable(), "needs --add-modules jdk.incubator.vector and AVX2");
        try (NDManager m = NDManager.newBaseManager(); Arena arena = Arena.ofShared()) {
            NDArray w = m.randomNormal(new Shape(OUT, IN));
            NDArray b = m.randomNormal(new Shape(OUT));
            Projection packed = new Projection(w, b, arena);
            Projection trainable = new Projection(w, b, null);
            // a scoring pass's few rows: [batch, 1, in], PyTorch's linear, no copy made
            NDArray few = m.randomNormal(new Shape(6, 1, IN));
            float[] torch = Tensors.linear(few, w, b).toFloatArray();
            NDArray y = packed.apply(few);
            assertEquals(new Shape(6, 1, OUT), y.getShape());
            assertArrayEquals(torch, y.toFloatArray());
            assertFalse(packed.packed(), "apply makes no panel copy");
            // a heap decode step of the same rows: the kernel, within float rounding
            assertTrue(packed.panelsFor(6));
            assertClose(torch, packed.multiply(few.toFloatArray(), 6));
            assertTrue(packed.packed(), "the panel kernel ran");
            assertFalse(trainable.panelsFor(6), "no panels without memory for them");
            assertFalse(packed.panelsFor(Projection.FEW_ROWS + 1), "more rows than FEW_ROWS: PyTorch's linear");

            Projection.usePanels(false);
            try {
                assertFalse(packed.panelsFor(6), "switched off: PyTorch's linear");
            } finally {
                Projection.usePanels(true);
            }
        }
    }

    @Test
    void argmax_wideVocabulary_firstOnTies_asPyTorch() {
        assumeTrue(Projection.panelsAvailable(), "needs --add-modules jdk.incubator.vector and AVX2");
        int vocab = 2100;
        try (NDManager m = NDManager.newBaseManager(); Arena arena = Arena.ofShared()) {
            float[] w = uniform(new SplittableRandom(3), vocab * IN);
            // columns 40 and 1500 (far apart) are equal and far above the rest for every input with x·w > 0
            for (int k = 0; k < IN; k++) {
                w[40 * IN + k] = 10f;
                w[1500 * IN + k] = 10f;
            }
            NDArray weight = m.create(w, new Shape(vocab, IN));
            Projection head = new Projection(weight, null, arena);
            int rows = 5;
            float[] x = uniform(new SplittableRandom(4), rows * IN);
            x[0] = 50f;
            NDArray input = m.create(x, new Shape(rows, 1, IN));
            long[] torch = Tensors.linear(input, weight, null).argMax(-1).toLongArray();
            assertArrayEquals(torch, head.argmax(x, rows));
            assertEquals(40, torch[0], "the row with a large first input ties at 40 and 1500: the first wins");
        }
    }

    private static void assertClose(float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-5f * Math.max(1f, Math.abs(expected[i])), "element " + i);
        }
    }

    private static float[] uniform(SplittableRandom rnd, int n) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) (rnd.nextDouble() * 2 - 1);
        }
        return out;
    }
}
