package dev.evomerge.infer.block;

import ai.djl.ndarray.NDArray;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * A linear layer, {@code y = x·wᵀ + b}: PyTorch's {@code linear}, except in a decode step on the heap (one new
 * column for at most {@link #FEW_ROWS} rows: generation's steps, and a scorer's one-token passes on a cache), which
 * {@link PanelKernel} multiplies from a copy of the weight in panel order. The copy is made on the first such call,
 * in the model's memory, and lives as long as the model: a model that generates holds its projections twice (the
 * evolve memory gate counts it), one that scores holds copies only of the layers such passes ran. The kernel runs only where the JDK's vector module
 * is in the boot layer ({@code --add-modules jdk.incubator.vector}: the launcher's generating commands, the heap
 * path's tests, {@code bench/run.sh}), the vectors hold at least 8 floats, no autograd is recording, and the model was loaded for
 * inference (a trainable model's weights change under the copy); everything else runs PyTorch's {@code linear}. The
 * two agree within float rounding.
 *
 * <p>Thread-safe: the copy is made once, under a lock.
 */
public final class Projection {

    /**
     * The most rows (the product of the input's leading dimensions) that take the panel kernel. Its cost grows with
     * the rows (it computes at about the same rate at 8 rows as at 32), PyTorch's less (its fixed cost per call is
     * shared): at 16 rows the two are about even, at 32 PyTorch is ahead.
     */
    public static final int FEW_ROWS = 16;
    /** per thread, the logits {@link #argmax} last needed (grown as needed, never shrunk) */
    private static final ThreadLocal<float[]> LOGITS = ThreadLocal.withInitial(() -> new float[0]);

    private static final boolean AVAILABLE = vectorModuleLoaded() && PanelKernel.usable() && !"false".equals(System.getProperty("evomerge.panels"));
    private static volatile boolean enabled = AVAILABLE;

    /** [out, in] */
    private final NDArray weight;
    /** [out], or null */
    private final NDArray bias;
    private final int out;
    private final int in;
    /** where the panel copy goes, or null for never */
    private final Arena packing;
    /** the {@link PanelKernel.Panels}, once made (typed Object: without the vector module the class never loads) */
    private volatile Object panels;

    /**
     * @param weight [out, in], contiguous float32
     * @param bias [out], or null
     * @param packing the model's memory, for the panel copy; null where the weights may change (training)
     */
    public Projection(NDArray weight, NDArray bias, Arena packing) {
        this.weight = weight;
        this.bias = bias;
        this.out = Math.toIntExact(weight.getShape().get(0));
        this.in = Math.toIntExact(weight.getShape().get(1));
        this.packing = packing;
    }

    /** The weight, [out, in]. */
    public NDArray weight() {
        return weight;
    }

    /** Output width. */
    public int out() {
        return out;
    }

    /**
     * Whether few-row products use the panel kernel where it is available (the default); off, every product runs
     * PyTorch's {@code linear}. For benchmarks that compare the two in one process.
     */
    public static void usePanels(boolean use) {
        enabled = use && AVAILABLE;
    }

    /**
     * Whether the JDK's vector module is in this JVM's boot layer ({@code --add-modules=jdk.incubator.vector}), which
     * the panel kernel needs.
     */
    public static boolean vectorModuleLoaded() {
        return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    }

    /** Whether the panel kernel can run here (the vector module is present and the vectors are wide enough). */
    public static boolean panelsAvailable() {
        return AVAILABLE;
    }

    /**
     * {@code x} [..., in] to [..., out], living with {@code x}, by PyTorch's {@code linear}: the kernel runs only in
     * decode steps on the heap ({@link #multiply}, {@link #argmax}), so that a pass of a model that scores never
     * makes the panel copy for its output layer.
     */
    public NDArray apply(NDArray x) {
        return Tensors.linear(x, weight, bias);
    }

    /**
     * Whether {@link #multiply} runs for {@code rows} rows: the panel kernel is available and on, the model was
     * loaded for inference, there are at most {@link #FEW_ROWS} rows, and no autograd is recording.
     */
    public boolean panelsFor(int rows) {
        return enabled && packing != null && rows <= FEW_ROWS && !Tensors.recording();
    }

    /**
     * {@code y = x·wᵀ + b} on the heap for {@code rows} rows ({@code x}: {@code rows × in} floats, row-major; the
     * result {@code rows × out}), by the panel kernel; only where {@link #panelsFor} says so.
     */
    public float[] multiply(float[] x, int rows) {
        float[] y = new float[rows * out];
        PanelKernel.multiply((PanelKernel.Panels) panels(), padded(x, rows), rows, MemorySegment.ofArray(y));
        return y;
    }

    /**
     * Per row, the index of the largest output of {@link #multiply} (the first on ties, and the first NaN before any
     * number, as PyTorch's {@code argmax}). The logits go to a buffer this thread keeps for the purpose, not to an
     * array per call (a vocabulary-wide one per decode step would be a large allocation each time). Only where
     * {@link #panelsFor} says so.
     */
    public long[] argmax(float[] x, int rows) {
        int size = rows * out;
        float[] y = LOGITS.get();
        if (y.length < size) {
            y = new float[size];
            LOGITS.set(y);
        }
        PanelKernel.multiply((PanelKernel.Panels) panels(), padded(x, rows), rows, MemorySegment.ofArray(y));
        long[] best = new long[rows];
        for (int r = 0; r < rows; r++) {
            int row = r * out;
            int b = row;
            for (int i = row + 1; i < row + out && !Float.isNaN(y[b]); i++) {
                if (y[i] > y[b] || Float.isNaN(y[i])) {
                    b = i;
                }
            }
            best[r] = b - row;
        }
        return best;
    }

    /** {@code x}'s first {@code rows} rows, then zero rows up to a multiple of 8 (the kernel's block). */
    private float[] padded(float[] x, int rows) {
        int length = (rows + 7) / 8 * 8 * in;
        if (x.length == length) {
            return x;
        }
        float[] copy = new float[length];
        System.arraycopy(x, 0, copy, 0, rows * in);
        return copy;
    }

    /** Whether the panel copy has been made. */
    boolean packed() {
        return panels != null;
    }

    private Object panels() {
        Object p = panels;
        if (p == null) {
            synchronized (this) {
                p = panels;
                if (p == null) {
                    float[] b = bias == null ? null : bias.toFloatArray();
                    p = PanelKernel.pack(Tensors.memory(weight, (long) out * in), out, in, b, packing);
                    panels = p;
                }
            }
        }
        return p;
    }
}
