package dev.evomerge.infer.block;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The keys and values one attention block has seen so far in a batch, in buffers allocated once for the longest
 * sequence the request can reach, so that a generation step writes its new column in place instead of copying the
 * whole cache. Each step of a data-flow path has its own cache, also when the same layer appears twice.
 *
 * <p>Not thread-safe; owned by one request. Its buffers live in the request's manager and go with it.
 */
public final class KvCache {

    /** [batch, kvHeads, capacity, headDim] */
    private final NDArray keys;
    /** [batch, kvHeads, capacity, headDim] */
    private final NDArray values;
    private final int capacity;
    private int length;
    /** the buffers' memory, once a decode step on the heap has asked for it */
    private MemorySegment keyMemory;
    private MemorySegment valueMemory;

    /**
     * @param manager the request's manager
     * @param batch rows
     * @param kvHeads key/value heads of the block this cache serves
     * @param capacity the most columns it will hold
     * @param headDim width of a head
     */
    public KvCache(NDManager manager, int batch, int kvHeads, int capacity, int headDim) {
        Shape shape = new Shape(batch, kvHeads, capacity, headDim);
        this.keys = manager.zeros(shape, DataType.FLOAT32);
        this.values = manager.zeros(shape, DataType.FLOAT32);
        this.capacity = capacity;
    }

    /**
     * A new cache in {@code manager} with room for {@code capacity} columns whose row {@code i} holds what this
     * cache's row {@code rows[i]} holds so far (rows may repeat: a shared prefix's cache handed to every request
     * built on it), or, for generation, the rows still running.
     */
    public KvCache select(NDManager manager, long[] rows, int capacity) {
        if (capacity < length) {
            throw new IllegalArgumentException("a cache of " + capacity + " columns cannot take " + length);
        }
        Shape shape = keys.getShape();
        KvCache out = new KvCache(manager, rows.length, (int) shape.get(1), capacity, (int) shape.get(3));
        if (length > 0) {
            // runs of destination rows reading one source row take one broadcast copy each
            for (int from = 0; from < rows.length;) {
                int to = from + 1;
                while (to < rows.length && rows[to] == rows[from]) {
                    to++;
                }
                copyRows(keys, out.keys, rows[from], from, to);
                copyRows(values, out.values, rows[from], from, to);
                from = to;
            }
            out.length = length;
        }
        return out;
    }

    /**
     * A new cache in {@code manager} of {@code sources.length} rows with room for {@code capacity} columns, holding
     * {@code length} columns: row {@code i} holds columns {@code [from[i], from[i] + columns[i])} of row
     * {@code rows[i]} of {@code sources[i]} at columns {@code [at[i], at[i] + columns[i])}, and zeros elsewhere, a
     * gap that no query attends to: a shared prefix computed in an earlier pass at the start of a row, or a running
     * generation's tokens moved to the end of a narrower block. A null source (with {@code columns[i] == 0}) leaves
     * the row all gap. At least one source must be given; all have the same heads and head width.
     */
    public static KvCache assemble(NDManager manager, KvCache[] sources, long[] rows, int[] from, int[] columns,
            int[] at, int length, int capacity) {
        KvCache model = java.util.Arrays.stream(sources).filter(java.util.Objects::nonNull).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no source cache to assemble from"));
        if (length > capacity) {
            throw new IllegalArgumentException("a cache of " + capacity + " columns cannot take " + length);
        }
        Shape shape = model.keys.getShape();
        KvCache out = new KvCache(manager, sources.length, (int) shape.get(1), capacity, (int) shape.get(3));
        for (int i = 0; i < sources.length; i++) {
            KvCache source = sources[i];
            if (columns[i] == 0) {
                continue;
            }
            if (source == null || from[i] < 0 || from[i] + columns[i] > source.length || at[i] < 0
                    || at[i] + columns[i] > length) {
                throw new IllegalArgumentException("row " + i + " wants columns [" + from[i] + ", "
                        + (from[i] + columns[i]) + ") of a source holding " + (source == null ? 0 : source.length)
                        + " at column " + at[i] + " of a cache of " + length);
            }
            copyRow(source.keys, out.keys, rows[i], from[i], columns[i], i, at[i]);
            copyRow(source.values, out.values, rows[i], from[i], columns[i], i, at[i]);
        }
        out.length = length;
        return out;
    }

    /** Copies {@code n} columns of source row {@code row} from column {@code from} to target row {@code into}. */
    private static void copyRow(NDArray source, NDArray target, long row, int from, int n, int into, int at) {
        try (NDArray held = Tensors.slice(source, 2, from, from + n, source.getManager());
                NDArray one = Tensors.slice(held, 0, row, row + 1, source.getManager());
                NDArray to = Tensors.slice(target, 0, into, into + 1, target.getManager())) {
            Tensors.addInto(to, 2, at, one);
        }
    }

    /** Copies source row {@code row}'s first {@code length} columns into target rows {@code [from, to)}. */
    private void copyRows(NDArray source, NDArray target, long row, int from, int to) {
        try (NDArray held = Tensors.slice(source, 2, 0, length, source.getManager());
                NDArray one = Tensors.slice(held, 0, row, row + 1, source.getManager());
                NDArray into = Tensors.slice(target, 0, from, to, target.getManager())) {
            Tensors.addInto(into, 2, 0, one);
        }
    }

    /** Columns held. */
    public int length() {
        return length;
    }

    /**
     * Appends one column per row from the heap: row {@code b}'s key heads start at
     * {@code src[b·rowStride + keyOffset]}, its value heads at {@code src[b·rowStride + valueOffset]}, each
     * {@code kvHeads × headDim} floats (a decode step's fused q/k/v projection, keys already rotated).
     */
    void appendColumn(float[] src, int rowStride, int keyOffset, int valueOffset) {
        if (length + 1 > capacity) {
            throw new IllegalStateException("KV cache holds " + capacity + " columns, asked for " + (length + 1));
        }
        Shape shape = keys.getShape();
        int rows = (int) shape.get(0);
        int heads = (int) shape.get(1);
        int dim = (int) shape.get(3);
        if (keyMemory == null) {
            keyMemory = Tensors.memory(keys, shape.size());
            valueMemory = Tensors.memory(values, shape.size());
        }
        for (int b = 0; b < rows; b++) {
            for (int h = 0; h < heads; h++) {
                long at = (((long) b * heads + h) * capacity + length) * dim * Float.BYTES;
                int from = b * rowStride + h * dim;
                MemorySegment.copy(src, keyOffset + from, keyMemory, ValueLayout.JAVA_FLOAT, at, dim);
                MemorySegment.copy(src, valueOffset + from, valueMemory, ValueLayout.JAVA_FLOAT, at, dim);
            }
        }
        length++;
    }

    /** The keys' memory, [batch, kvHeads, capacity, headDim] floats; valid after {@link #appendColumn}. */
    MemorySegment keyMemory() {
        return keyMemory;
    }

    /** The values' memory, as {@link #keyMemory()}. */
    MemorySegment valueMemory() {
        return valueMemory;
    }

    /** Columns the buffers have room for. */
    int capacity() {
        return capacity;
    }

    /**
     * Appends the new columns' keys and values [batch, kvHeads, n, headDim] and returns views of everything held,
     * [batch, kvHeads, length + n, headDim], living with {@code k}.
     */
    NDArray[] append(NDArray k, NDArray v) {
        long n = k.getShape().get(2);
        if (length + n > capacity) {
            throw new IllegalStateException("KV cache holds " + capacity + " columns, asked for " + (length + n));
        }
        // the buffers start as zeros and every column is written once, so adding is copying
        Tensors.addInto(keys, 2, length, k);
        Tensors.addInto(values, 2, length, v);
        length += (int) n;
        return new NDArray[] {
            Tensors.slice(keys, 2, 0, length, k.getManager()), Tensors.slice(values, 2, 0, length, k.getManager())};
    }
}
