package dev.evomerge.tensor;

import java.lang.foreign.MemorySegment;
import java.util.Optional;
import java.util.SequencedSet;

/**
 * Named tensors to read: a model on disk (memory-mapped safetensors) or tensors held in memory, such as a merged
 * candidate. The merge engine and the inference code read weights only through this interface.
 *
 * <p>Implementations say whether they are thread-safe; the mapped readers are, for reads.
 */
public interface TensorSource {

    /** The tensor names, in a stable order (file order for files, insertion order in memory). */
    SequencedSet<String> names();

    /** The type and shape of a tensor, if this source has it. */
    Optional<TensorInfo> info(String name);

    default boolean contains(String name) {
        return info(name).isPresent();
    }

    /**
     * The tensor's raw little-endian bytes, in its own dtype. For mapped files this is a zero-copy view valid until
     * the source is closed.
     *
     * @throws java.util.NoSuchElementException if the tensor is absent
     */
    MemorySegment bytes(String name);

    /**
     * The tensor's values widened (or narrowed, for F64) to float32 in a new array, row-major.
     *
     * @throws java.util.NoSuchElementException if the tensor is absent
     * @throws dev.evomerge.diag.InputException if the dtype is not a floating-point type or the tensor has more
     *     elements than an array can hold
     */
    float[] floats(String name);

    /**
     * Says that the caller is done with a tensor for now. A memory-mapped source lets the operating system drop the
     * tensor's pages from this process (they stay in the page cache), so that reading a whole model does not leave
     * it all resident; the tensor stays readable. Others do nothing.
     */
    default void release(String name) {
    }
}
