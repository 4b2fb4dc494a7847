package dev.evomerge.merge;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * Float arrays handed out by length and given back: merge after merge of one plan (the candidates of a
 * parameter-space search) decodes its inputs into, and merges in, the arrays the previous candidate used instead of
 * allocating a model's worth of arrays each time. Holds at most what one merge of the plan uses at its peak.
 *
 * <p>Thread-safe.
 */
public final class MergeBuffers {

    private final Map<Integer, ArrayDeque<float[]>> free = new HashMap<>();
    private long allocations;

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

    /** How many arrays {@link #take} had to allocate because none of that length was free. */
    public synchronized long allocations() {
        return allocations;
    }

    /** Drops every free array. */
    public synchronized void clear() {
        free.clear();
    }
}
