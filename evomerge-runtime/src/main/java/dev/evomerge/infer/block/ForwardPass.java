package dev.evomerge.infer.block;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.lang.foreign.Arena;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What one forward call over a batch shares across its layers: a sub-manager owning every array the call creates,
 * native memory for the inputs, and, built once on first use, the attention masks (one per sliding window) and the
 * rotary tables (one per {@link RotaryEmbedding}).
 *
 * <p>A batch is a block of {@code batch} rows and {@code past + length} columns: columns before {@code past} are
 * already in the KV caches, this call feeds the {@code length} columns after them. Each row may have one run of
 * padding columns, its gap, which no query attends to: rows are usually left-padded (row {@code b}'s first
 * {@code padLeft[b]} columns), but a batch whose rows share a cached prefix pads between that prefix and each row's
 * own tokens ({@link #withGaps}). A row's real tokens have positions 0, 1, … in column order, skipping its gap. A
 * query at column {@code c} sees real column {@code j <= c} when, under a sliding window {@code w}, their positions
 * differ by less than {@code w} (transformers' {@code sliding_window_overlay}; for a row without a gap inside its
 * tokens that is {@code c - j < w}).
 *
 * <p>Not thread-safe: one forward call, one thread. {@link #close()} frees every array it made, then its memory.
 */
public final class ForwardPass implements AutoCloseable {

    /** transformers' fill value for masked scores in float32 ({@code torch.finfo(torch.float32).min}). */
    private static final float MASKED = -Float.MAX_VALUE;

    private final NDManager manager;
    private final Arena arena = Arena.ofConfined();
    /** per row, the first padding column */
    private final int[] gapStart;
    /** per row, the first column after its padding */
    private final int[] gapEnd;
    private final int past;
    private final int length;
    private final Map<Integer, Optional<NDArray>> masks = new HashMap<>();
    private final Map<RotaryEmbedding, NDArray[]> rotary = new IdentityHashMap<>();

    /**
     * A left-padded batch.
     *
     * @param parent the manager the call's sub-manager hangs from (a request's)
     * @param padLeft padding columns at the start of each row
     * @param past columns already cached
     * @param length columns this call feeds, >= 1
     */
    public ForwardPass(NDManager parent, int[] padLeft, int past, int length) {
        this(parent, new int[padLeft.length], padLeft, past, length);
    }

    /**
     * A batch whose row {@code b} has padding in columns {@code [gapStart[b], gapEnd[b])} (an empty range for none),
     * e.g. between a prefix shared by every row and each row's own left-padded tokens.
     */
    public static ForwardPass withGaps(NDManager parent, int[] gapStart, int[] gapEnd, int past, int length) {
        return new ForwardPass(parent, gapStart, gapEnd, past, length);
    }

    private ForwardPass(NDManager parent, int[] gapStart, int[] gapEnd, int past, int length) {
        if (length < 1 || past < 0) {
            throw new IllegalArgumentException("need length >= 1 and past >= 0, got " + length + " and " + past);
        }
        if (gapStart.length != gapEnd.length) {
            throw new IllegalArgumentException(gapStart.length + " gap starts for " + gapEnd.length + " gap ends");
        }
        for (int b = 0; b < gapStart.length; b++) {
            if (gapStart[b] < 0 || gapEnd[b] < gapStart[b] || gapEnd[b] - gapStart[b] >= past + length) {
                throw new IllegalArgumentException("row padding [" + gapStart[b] + ", " + gapEnd[b] + ") leaves no"
                        + " token in " + (past + length) + " columns");
            }
        }
        this.manager = parent.newSubManager();
        this.gapStart = gapStart.clone();
        this.gapEnd = gapEnd.clone();
        this.past = past;
        this.length = length;
    }

    /** The manager owning this call's arrays. */
    public NDManager manager() {
        return manager;
    }

    /** Rows in the batch. */
    public int batch() {
        return gapStart.length;
    }

    /** Columns this call feeds. */
    public int length() {
        return length;
    }

    /** Columns already cached before this call. */
    public int past() {
        return past;
    }

    /** The position of row {@code b}'s token in column {@code column} (for padding, that of the gap's end). */
    public int position(int b, int column) {
        if (column < gapStart[b]) {
            return column;
        }
        return Math.max(column, gapEnd[b]) - (gapEnd[b] - gapStart[b]);
    }

    /**
     * Whether row {@code b}'s query at column {@code query} sees column {@code column} under sliding window
     * {@code window} (0: none): the mask's rule.
     */
    boolean visible(int b, int query, int column, int window) {
        return column <= query && !padding(b, column)
                && (window == 0 || position(b, query) - position(b, column) < window);
    }

    private boolean padding(int b, int column) {
        return column >= gapStart[b] && column < gapEnd[b];
    }

    /** An int64 array of this call's arrays, shape {@code shape}, holding {@code values}. */
    public NDArray longs(long[] values, long... shape) {
        return Tensors.longs(manager, arena, values, new Shape(shape));
    }

    /**
     * The additive mask for queries of this call under sliding window {@code window} (0: none), shape
     * {@code [batch, 1, length, past + length]}: 0 where a query may look, float32's lowest value elsewhere. Null
     * when nothing is masked (one new column, no padding, no window reaching back that far).
     */
    public NDArray mask(int window) {
        return masks.computeIfAbsent(window, this::buildMask).orElse(null);
    }

    private Optional<NDArray> buildMask(int window) {
        int columns = past + length;
        int rows = gapStart.length;
        float[] values = new float[rows * length * columns];
        boolean any = false;
        for (int b = 0; b < rows; b++) {
            for (int t = 0; t < length; t++) {
                int query = past + t;
                int base = (b * length + t) * columns;
                for (int j = 0; j < columns; j++) {
                    if (!visible(b, query, j, window)) {
                        values[base + j] = MASKED;
                        any = true;
                    }
                }
            }
        }
        return any ? Optional.of(Tensors.floats(manager, arena, values, new Shape(rows, 1, length, columns)))
                : Optional.empty();
    }

    /** {@code rotary}'s cos and sign-folded sin for this call's positions, each {@code [batch, 1, length, dim]}. */
    NDArray[] rotaryTables(RotaryEmbedding embedding) {
        return rotary.computeIfAbsent(embedding, e -> e.tables(this, arena));
    }

    /** Frees this call's arrays, then the native memory under its inputs. */
    @Override
    public void close() {
        try {
            manager.close();
        } finally {
            arena.close();
        }
    }
}
