package dev.evomerge.tensor.io;

import dev.evomerge.tensor.Conversions;
import dev.evomerge.tensor.DType;
import dev.evomerge.tensor.Shape;
import dev.evomerge.tensor.TensorInfo;
import dev.evomerge.tensor.TensorSource;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.SequencedSet;

/**
 * Tensors held on the heap, in insertion order: a merged candidate evaluated without writing a checkpoint, or
 * fixtures built in tests. Values are kept in their declared dtype.
 *
 * <p>Thread-safe for reads after it is filled; {@code put} is not synchronised.
 */
public final class InMemoryTensors implements TensorSource {

    private record Entry(TensorInfo info, MemorySegment bytes) {
    }

    private final Map<String, Entry> entries = new LinkedHashMap<>();

    /** Adds float32 values, stored as {@code dtype} (rounded once if a half type). */
    public InMemoryTensors putFloats(String name, DType dtype, Shape shape, float[] values) {
        checkCount(name, shape, values);
        return put(new TensorInfo(name, dtype, shape), Conversions.encode(values, dtype));
    }

    /**
     * Adds float32 values as an F32 tensor that reads the array itself, not a copy, where the machine is
     * little-endian (else a copy); the caller leaves the array alone while this holds it.
     */
    public InMemoryTensors wrapFloats(String name, Shape shape, float[] values) {
        checkCount(name, shape, values);
        if (java.nio.ByteOrder.nativeOrder() != java.nio.ByteOrder.LITTLE_ENDIAN) {
            return putFloats(name, DType.F32, shape, values);
        }
        entries.put(name, new Entry(new TensorInfo(name, DType.F32, shape), MemorySegment.ofArray(values)));
        return this;
    }

    private static void checkCount(String name, Shape shape, float[] values) {
        if (shape.numel() != values.length) {
            throw new IllegalArgumentException("tensor '" + name + "' has shape " + shape + " but "
                    + values.length + " values");
        }
    }

    /** Adds a tensor's raw little-endian bytes (copied). */
    public InMemoryTensors put(TensorInfo info, MemorySegment bytes) {
        if (bytes.byteSize() != info.byteSize()) {
            throw new IllegalArgumentException("tensor '" + info.name() + "' needs " + info.byteSize()
                    + " bytes, got " + bytes.byteSize());
        }
        MemorySegment copy = MemorySegment.ofArray(new byte[(int) bytes.byteSize()]);
        copy.copyFrom(bytes);
        entries.put(info.name(), new Entry(info, copy));
        return this;
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
        return entry(name).bytes().asReadOnly();
    }

    @Override
    public float[] floats(String name) {
        Entry e = entry(name);
        return Conversions.toFloats(e.bytes(), e.info(), Path.of("(in memory)"));
    }

    private Entry entry(String name) {
        Entry e = entries.get(name);
        if (e == null) {
            throw new NoSuchElementException("no tensor '" + name + "' in memory");
        }
        return e;
    }
}
