package dev.evomerge.infer.block;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@code y = x·wᵀ + b} for a few rows of {@code x}, on the JDK's vector API, from a copy of {@code w} in panel order.
 * A panel is {@link #WIDTH} consecutive output columns (two vectors); the copy holds, panel after panel, each input
 * index's {@code WIDTH} weights side by side ({@code [panels][in][WIDTH]}, the last panel padded with zeros). The
 * product keeps eight rows times one panel in sixteen vector registers and streams the panel's weights once per eight
 * rows: one contiguous read per input index, every weight used by eight fused multiply-adds. PyTorch's one-thread
 * {@code linear} at eight rows spends most of its time re-arranging the weight matrix for its own kernel on every
 * call; the panels are arranged once.
 *
 * <p>Each output is a fused multiply-add chain over the input index in order (then {@code + b}), so its rounding
 * differs from MKL's blocked sums by float rounding only.
 *
 * <p>Loaded only when the {@code jdk.incubator.vector} module is in the boot layer ({@link Projection} checks);
 * stateless and thread-safe.
 */
final class PanelKernel {

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int LANES = SPECIES.length();
    /** output columns per panel */
    static final int WIDTH = 2 * LANES;
    /** rows per block: with two vectors per row, 16 accumulators */
    private static final int ROWS = 8;
    private static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;

    private PanelKernel() {
    }

    /** Whether this machine's vectors are wide enough to pay: 8 floats (AVX2) or more, little-endian. */
    static boolean usable() {
        return LANES >= 8 && ByteOrder.nativeOrder() == ORDER;
    }

    /**
     * A weight matrix in panel order.
     *
     * @param memory {@code [panels][in][WIDTH]} floats
     * @param out output columns (the weight's rows)
     * @param in input width (the weight's columns)
     * @param bias {@code [panels·WIDTH]}, zero-padded, or null
     */
    record Panels(MemorySegment memory, int out, int in, float[] bias) {
    }

    /**
     * Copies {@code weight} ({@code out × in} floats, row-major, native order) into panel order, in memory from
     * {@code arena}.
     */
    static Panels pack(MemorySegment weight, int out, int in, float[] bias, Arena arena) {
        int panels = (out + WIDTH - 1) / WIDTH;
        // an arena's memory starts zeroed: the last panel's padding columns stay 0
        MemorySegment memory = arena.allocate((long) panels * in * WIDTH * Float.BYTES, 64);
        float[] row = new float[in];
        for (int n = 0; n < out; n++) {
            MemorySegment.copy(weight, ValueLayout.JAVA_FLOAT, (long) n * in * Float.BYTES, row, 0, in);
            long base = (long) (n / WIDTH) * in * WIDTH + n % WIDTH;
            for (int k = 0; k < in; k++) {
                memory.setAtIndex(ValueLayout.JAVA_FLOAT, base + (long) k * WIDTH, row[k]);
            }
        }
        float[] padded = null;
        if (bias != null) {
            padded = new float[panels * WIDTH];
            System.arraycopy(bias, 0, padded, 0, out);
        }
        return new Panels(memory, out, in, padded);
    }

    /**
     * Writes {@code y = x·wᵀ + b} for {@code rows} rows into {@code y} ({@code rows × out} floats, row-major, native
     * order).
     *
     * @param x {@code blocks·8 × in} floats, row-major, the rows past {@code rows} zero
     */
    static void multiply(Panels w, float[] x, int rows, MemorySegment y) {
        int in = w.in();
        int out = w.out();
        long panelBytes = (long) in * WIDTH * Float.BYTES;
        int panels = (out + WIDTH - 1) / WIDTH;
        for (int p = 0; p < panels; p++) {
            for (int r0 = 0; r0 < rows; r0 += ROWS) {
                block(w, x, r0, rows, p, p * panelBytes, in, out, y);
            }
        }
    }

    /** Rows {@code [r0, r0 + 8)} times panel {@code p}. */
    private static void block(Panels w, float[] x, int r0, int rows, int p, long panel, int in, int out,
            MemorySegment y) {
        MemorySegment m = w.memory();
        FloatVector a0 = FloatVector.zero(SPECIES);
        FloatVector a1 = a0;
        FloatVector a2 = a0;
        FloatVector a3 = a0;
        FloatVector a4 = a0;
        FloatVector a5 = a0;
        FloatVector a6 = a0;
        FloatVector a7 = a0;
        FloatVector b0 = a0;
        FloatVector b1 = a0;
        FloatVector b2 = a0;
        FloatVector b3 = a0;
        FloatVector b4 = a0;
        FloatVector b5 = a0;
        FloatVector b6 = a0;
        FloatVector b7 = a0;
        int x0 = r0 * in;
        long offset = panel;
        for (int k = 0; k < in; k++, offset += (long) WIDTH * Float.BYTES) {
            FloatVector w0 = FloatVector.fromMemorySegment(SPECIES, m, offset, ORDER);
            FloatVector w1 = FloatVector.fromMemorySegment(SPECIES, m, offset + (long) LANES * Float.BYTES, ORDER);
            int i = x0 + k;
            FloatVector v = FloatVector.broadcast(SPECIES, x[i]);
            a0 = w0.fma(v, a0);
            b0 = w1.fma(v, b0);
            v = FloatVector.broadcast(SPECIES, x[i + in]);
            a1 = w0.fma(v, a1);
            b1 = w1.fma(v, b1);
            v = FloatVector.broadcast(SPECIES, x[i + 2 * in]);
            a2 = w0.fma(v, a2);
            b2 = w1.fma(v, b2);
            v = FloatVector.broadcast(SPECIES, x[i + 3 * in]);
            a3 = w0.fma(v, a3);
            b3 = w1.fma(v, b3);
            v = FloatVector.broadcast(SPECIES, x[i + 4 * in]);
            a4 = w0.fma(v, a4);
            b4 = w1.fma(v, b4);
            v = FloatVector.broadcast(SPECIES, x[i + 5 * in]);
            a5 = w0.fma(v, a5);
            b5 = w1.fma(v, b5);
            v = FloatVector.broadcast(SPECIES, x[i + 6 * in]);
            a6 = w0.fma(v, a6);
            b6 = w1.fma(v, b6);
            v = FloatVector.broadcast(SPECIES, x[i + 7 * in]);
            a7 = w0.fma(v, a7);
            b7 = w1.fma(v, b7);
        }
        int column = p * WIDTH;
        storeRow(a0, b0, w.bias(), column, out, (long) r0 * out, y);
        if (r0 + 1 < rows) {
            storeRow(a1, b1, w.bias(), column, out, (long) (r0 + 1) * out, y);
        }
        if (r0 + 2 < rows) {
            storeRow(a2, b2, w.bias(), column, out, (long) (r0 + 2) * out, y);
        }
        if (r0 + 3 < rows) {
            storeRow(a3, b3, w.bias(), column, out, (long) (r0 + 3) * out, y);
        }
        if (r0 + 4 < rows) {
            storeRow(a4, b4, w.bias(), column, out, (long) (r0 + 4) * out, y);
        }
        if (r0 + 5 < rows) {
            storeRow(a5, b5, w.bias(), column, out, (long) (r0 + 5) * out, y);
        }
        if (r0 + 6 < rows) {
            storeRow(a6, b6, w.bias(), column, out, (long) (r0 + 6) * out, y);
        }
        if (r0 + 7 < rows) {
            storeRow(a7, b7, w.bias(), column, out, (long) (r0 + 7) * out, y);
        }
    }

    private static void storeRow(FloatVector a, FloatVector b, float[] bias, int column, int out, long rowStart,
            MemorySegment y) {
        store(a, bias, column, out, rowStart, y);
        store(b, bias, column + LANES, out, rowStart, y);
    }

    /** Stores one vector of output columns from {@code column}, those before {@code out}, adding the bias. */
    private static void store(FloatVector v, float[] bias, int column, int out, long rowStart, MemorySegment y) {
        if (column >= out) {
            return;
        }
        if (bias != null) {
            v = v.add(FloatVector.fromArray(SPECIES, bias, column));
        }
        long at = (rowStart + column) * Float.BYTES;
        if (column + LANES <= out) {
            v.intoMemorySegment(y, at, ORDER);
        } else {
            VectorMask<Float> mask = SPECIES.indexInRange(column, out);
            v.intoMemorySegment(y, at, ORDER, mask);
        }
    }
}
