package dev.evomerge.infer.block;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The few PyTorch calls the blocks make outside DJL's generic NDArray API: slicing one dimension and adding into a
 * range of it (cheap native calls, where the generic indexer takes PyTorch's slow general path), {@code linear} and
 * {@code embedding}
 * with a possibly absent bias, and arrays over native memory the caller owns.
 *
 * <p>Stateless and thread-safe.
 */
public final class Tensors {

    private Tensors() {
    }

    /**
     * Whether the calling thread records operations for autograd (training): then an array the backward pass keeps
     * may not be overwritten, and the blocks compute out of place what they otherwise overwrite.
     */
    public static boolean recording() {
        return JniUtils.isGradMode();
    }

    /** {@code y = x·wᵀ + b} (PyTorch's {@code linear}); {@code bias} may be null. The result lives with {@code x}. */
    public static NDArray linear(NDArray x, NDArray weight, NDArray bias) {
        return JniUtils.linear((PtNDArray) x, (PtNDArray) weight, (PtNDArray) bias);
    }

    /** Rows of {@code table} picked by the int64 {@code ids}; the result lives with {@code ids}. */
    public static NDArray embedding(NDArray ids, NDArray table) {
        return JniUtils.embedding((PtNDArray) ids, (PtNDArray) table, false);
    }

    /** A view of {@code a} with dimension {@code dim} cut to {@code [start, end)}, attached to {@code into}. */
    public static NDArray slice(NDArray a, int dim, long start, long end, NDManager into) {
        // tensor.slice: a fraction of the cost of the general indexing path behind NDArray.get(NDIndex)
        NDArray view = JniUtils.slice((PtNDArray) a, dim, start, end, 1);
        if (view.getManager() != into) {
            view.attach(into);
        }
        return view;
    }

    /**
     * Adds {@code value} into {@code target} at {@code [start, start + value.size(dim))} of dimension {@code dim}, in
     * place: a copy when that range still holds zeros, which is how the KV cache uses it (every column is written
     * once). One in-place add on a slice costs a fraction of PyTorch's general {@code index_put_}.
     */
    public static void addInto(NDArray target, int dim, long start, NDArray value) {
        try (NDArray view = JniUtils.slice((PtNDArray) target, dim, start, start + value.getShape().get(dim), 1)) {
            view.addi(value);
        }
    }

    /**
     * A float32 array over {@code count} floats of native memory from {@code arena}, filled by the caller through the
     * returned segment before the array is used. PyTorch reads the memory in place (no copy), so the arena must
     * outlive the array and every view of it.
     */
    public static Native floats(NDManager manager, Arena arena, Shape shape) {
        MemorySegment memory = arena.allocate(shape.size() * Float.BYTES, 64);
        NDArray array = manager.create(memory.asByteBuffer(), shape, DataType.FLOAT32);
        return new Native(array, memory);
    }

    /** An int64 array holding {@code values}, over native memory from {@code arena} (see {@link #floats}). */
    public static NDArray longs(NDManager manager, Arena arena, long[] values, Shape shape) {
        MemorySegment memory = arena.allocate((long) values.length * Long.BYTES, 64);
        MemorySegment.copy(values, 0, memory, ValueLayout.JAVA_LONG, 0, values.length);
        return manager.create(memory.asByteBuffer(), shape, DataType.INT64);
    }

    /** A float32 array holding {@code values}, over native memory from {@code arena} (see {@link #floats}). */
    public static NDArray floats(NDManager manager, Arena arena, float[] values, Shape shape) {
        Native n = floats(manager, arena, shape);
        MemorySegment.copy(values, 0, n.memory(), ValueLayout.JAVA_FLOAT, 0, values.length);
        return n.array();
    }

    /**
     * A float32 array of PyTorch's own memory (freed when its manager closes, not by the garbage collector) holding
     * {@code values}.
     */
    public static NDArray copyOf(NDManager manager, float[] values, Shape shape) {
        NDArray array = manager.create(shape, DataType.FLOAT32);
        MemorySegment.copy(values, 0, memory(array, values.length), ValueLayout.JAVA_FLOAT, 0, values.length);
        return array;
    }

    /**
     * The memory under {@code array}, a contiguous float32 array of {@code floats} elements on the CPU, read and
     * written in place (PyTorch's own buffer, no copy).
     */
    public static MemorySegment memory(NDArray array, long floats) {
        java.nio.ByteBuffer buffer = JniUtils.getByteBuffer((PtNDArray) array, true);
        if (!buffer.isDirect() || buffer.capacity() != floats * Float.BYTES) {
            throw new IllegalStateException("expected " + floats + " contiguous floats under " + array.getShape()
                    + ", got a " + (buffer.isDirect() ? "" : "non-direct ") + "buffer of " + buffer.capacity()
                    + " bytes");
        }
        return MemorySegment.ofBuffer(buffer);
    }

    /**
     * An array and the native memory it reads.
     *
     * @param array the NDArray
     * @param memory its elements, native byte order
     */
    public record Native(NDArray array, MemorySegment memory) {
    }
}
