package dev.evomerge.infer.block;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

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

    /** Columns held. */
    public int length() {
        return length;
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
