package dev.evomerge.merge;

import dev.evomerge.tensor.Shape;
import dev.evomerge.tensor.io.InMemoryTensors;
import java.util.ArrayList;
import java.util.List;

/**
 * A model merged in memory: each tensor a float32 array from {@link MergeBuffers} whose values are already rounded
 * to the tensor's output dtype (so they equal the written model's), read in place as an F32 tensor. Closing gives
 * the arrays back to the buffers; the tensors are unusable afterwards.
 *
 * <p>Not thread-safe for closing; reads are safe until then.
 */
public final class MergedFloats implements AutoCloseable {

    private final InMemoryTensors tensors = new InMemoryTensors();
    private final List<float[]> arrays = new ArrayList<>();
    private final MergeBuffers buffers;

    MergedFloats(MergeBuffers buffers) {
        this.buffers = buffers;
    }

    void put(String name, Shape shape, float[] values) {
        tensors.wrapFloats(name, shape, values);
        arrays.add(values);
    }

    /** The merged tensors, until {@link #close}. */
    public InMemoryTensors tensors() {
        return tensors;
    }

    @Override
    public void close() {
        arrays.forEach(buffers::give);
        arrays.clear();
    }
}
