package dev.evomerge.merge;

import dev.evomerge.tensor.Conversions;
import dev.evomerge.tensor.TensorInfo;
import dev.evomerge.tensor.TensorSource;
import java.lang.ref.SoftReference;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The memory that merge after merge of one plan's inputs (the candidates of a parameter-space search) reuses
 * instead of allocating and decoding a model's worth each time:
 *
 * <ul>
 *   <li>float arrays handed out by length and given back: a merge decodes its inputs into, and merges in, the arrays
 *       the previous candidate used; at most what one merge of the plan uses at its peak;</li>
 *   <li>the inputs' decoded values, kept while they fit a budget: every candidate decodes the same input tensors, so
 *       after the first a merge copies them instead (the same values; nothing is kept with a budget of 0). They are
 *       held softly: under memory pressure the collector frees them, and the next merge decodes them again.</li>
 * </ul>
 *
 * <p>Thread-safe.
 */
public final class MergeBuffers {

    /** An input tensor: its source, compared by identity (the run's mapped models), and its stored name. */
    private record Input(TensorSource source, String name) {

        @Override
        public boolean equals(Object o) {
            return o instanceof Input i && i.source == source && i.name.equals(name);
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(source) * 31 + name.hashCode();
        }
    }

    private final Map<Integer, ArrayDeque<float[]>> free = new HashMap<>();
    private final Map<Input, SoftReference<float[]>> decoded = new ConcurrentHashMap<>();
    private final long decodedBudget;
    private long decodedBytes;
    private long allocations;

    /** Buffers that keep no decoded inputs. */
    public MergeBuffers() {
        this(0);
    }

    /** @param decodedBudget bytes of decoded input values kept for later merges */
    public MergeBuffers(long decodedBudget) {
        this.decodedBudget = decodedBudget;
    }

    /** An array of exactly {@code length} elements, with any contents. */
    public synchronized float[] take(int length) {
        ArrayDeque<float[]> q = free.get(length);
        if (q != null && !q.isEmpty()) {
            return q.pop();
        }
        allocations++;
        return new float[length];
    }

    /** Gives an array back for a later {@link #take} of its length; the caller no longer uses it. */
    public synchronized void give(float[] array) {
        free.computeIfAbsent(array.length, n -> new ArrayDeque<>()).push(array);
    }

    /**
     * Fills {@code into} (of the tensor's length) with the values of floating-point tensor {@code name} of
     * {@code source}: copied from a decoding kept by an earlier call, or decoded now and kept when it fits what is
     * left of the budget (or when it was kept before and the collector freed it).
     *
     * @return whether it read the source (a caller releases what it read)
     */
    boolean decode(TensorSource source, String name, TensorInfo info, float[] into) {
        Input key = new Input(source, name);
        SoftReference<float[]> ref = decoded.get(key);
        float[] kept = ref == null ? null : ref.get();
        if (kept != null) {
            System.arraycopy(kept, 0, into, 0, into.length);
            return false;
        }
        Conversions.toFloats(source.bytes(name), info.dtype(), 0, into, 0, into.length);
        if (ref != null) {
            decoded.put(key, new SoftReference<>(into.clone())); // counted when it was first kept
        } else if (reserve(4L * into.length) && decoded.putIfAbsent(key, new SoftReference<>(into.clone())) != null) {
            reserve(-4L * into.length); // another merge kept it first
        }
        return true;
    }

    /** Counts {@code bytes} more kept (fewer when negative); false, counting nothing, when they exceed the budget. */
    private synchronized boolean reserve(long bytes) {
        if (decodedBytes + bytes > decodedBudget) {
            return false;
        }
        decodedBytes += bytes;
        return true;
    }

    /** How many arrays {@link #take} had to allocate because none of that length was free. */
    public synchronized long allocations() {
        return allocations;
    }

    /** Bytes of decoded input values kept since the last drop (counting those the collector has freed since). */
    public synchronized long decodedBytes() {
        return decodedBytes;
    }

    /** Drops every decoded input: their budget is free again. */
    public synchronized void dropDecoded() {
        decoded.clear();
        decodedBytes = 0;
    }

    /** Drops every free array and every decoded input. */
    public synchronized void clear() {
        free.clear();
        dropDecoded();
    }
}
