package dev.evomerge.config;

/**
 * A half-open range of layers {@code [start, end)} taken from a model, as {@code layer_range: [start, end]} writes
 * it. Immutable.
 *
 * @param start the first layer taken, from 0
 * @param end one past the last layer taken; above {@code start}
 */
public record LayerRange(int start, int end) {

    public LayerRange {
        if (start < 0 || end <= start) {
            throw new IllegalArgumentException("layer range must satisfy 0 <= start < end, got [" + start + ", "
                    + end + ")");
        }
    }

    /** The number of layers taken. */
    public int size() {
        return end - start;
    }

    /** {@code [start, end)}. */
    @Override
    public String toString() {
        return "[" + start + ", " + end + ")";
    }
}
