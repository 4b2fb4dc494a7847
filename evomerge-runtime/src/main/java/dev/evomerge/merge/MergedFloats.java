package dev.evomerge.merge;

import dev.evomerge.tensor.Conversions;
import dev.evomerge.tensor.DType;
import dev.evomerge.tensor.Shape;
import dev.evomerge.tensor.TensorInfo;
import dev.evomerge.tensor.TensorSource;
import java.lang.foreign.MemorySegment;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.SequencedSet;

/**
 * A model merged in memory, each tensor a float32 array from {@link MergeBuffers} whose values are already rounded
 * to the tensor's output dtype (so they equal the written model's), read in place as F32 tensors. Closing gives the
 * arrays back to the buffers; the source is unusable afterwards.
 *
 * <p>Not thread-safe for closing; reads are safe until then.
 */
public final class MergedFloats implements TensorSource, AutoCloseable {

    private record Entry(TensorInfo info, float[] values) {
    }

    private final Map<String, Entry> entries = new LinkedHashMap<>();
    private final MergeBuffers buffers;

    MergedFloats(MergeBuffers buffers) {
        this.buffers = buffers;
    }

    void put(String name, Shape shape, float[] values) {
        entries.put(name, new Entry(new TensorInfo(name, DType.F32, shape), values));
    }

    @Override
    public SequencedSet<String> names() {
        return Collections.unmodifiableSequencedSet(new LinkedHashSet<>(entries.keySet()));
    }

    @Override
    public Optional<TensorInfo> info(String name) {
        Entry e = entries.get(name);
        return e == null ? Optional.empty() : Optional.of(e.info());
    }

    @Override
    public MemorySegment bytes(String name) {
        return MemorySegment.ofArray(entry(name).values()).asReadOnly();
    }

    @Override
    public float[] floats(String name) {
        return entry(name).values().clone();
    }

    private Entry entry(String name) {
        Entry e = entries.get(name);
        if (e == null) {
            throw new NoSuchElementException("no tensor '" + name + "' in the merged model");
        }
        return e;
    }

    /** The values encoded as {@code dtype}: what the written model holds for a tensor (tests). */
    MemorySegment encoded(String name, DType dtype) {
        return Conversions.encode(entry(name).values(), dtype);
    }

    @Override
    public void close() {
        for (Entry e : entries.values()) {
            buffers.give(e.values());
        }
        entries.clear();
    }
}
