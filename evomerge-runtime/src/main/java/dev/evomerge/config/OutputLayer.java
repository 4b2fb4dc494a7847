package dev.evomerge.config;

import java.util.List;
import java.util.Objects;

/**
 * One layer of the merged model and where it comes from: output layer {@code index} is made from layer
 * {@code layerRange.start + offset} of each source of its slice, with parameters evaluated at {@code t}. Immutable.
 *
 * @param index the output layer index (continuous across slices)
 * @param sliceIndex which slice it belongs to
 * @param slice that slice
 * @param offset its position inside the slice, from 0
 * @param t its gradient position: {@code offset / (L - 1)} for a slice of {@code L} layers, 1 when {@code L == 1}
 */
public record OutputLayer(int index, int sliceIndex, OutputSlice slice, int offset, double t) {

    public OutputLayer {
        Objects.requireNonNull(slice, "slice");
        if (index < 0 || sliceIndex < 0 || offset < 0 || offset >= slice.layerCount()) {
            throw new IllegalArgumentException("bad output layer " + index + " (slice " + sliceIndex + ", offset "
                    + offset + " of " + slice.layerCount() + ")");
        }
        if (!(t >= 0 && t <= 1)) {
            throw new IllegalArgumentException("t must be within [0, 1], got " + t);
        }
    }

    /** mergekit's {@code t} for layer {@code offset} of a slice of {@code layers} layers (it restarts per slice). */
    public static double tOf(int offset, int layers) {
        return layers > 1 ? (double) offset / (layers - 1) : 1.0;
    }

    /** The slice's sources, in merge order. */
    public List<InputSlice> sources() {
        return slice.sources();
    }

    /** The layer of {@code source}'s model this output layer reads. */
    public int sourceLayer(InputSlice source) {
        if (!slice.sources().contains(source)) {
            throw new IllegalArgumentException("source " + source.model() + " is not in slice " + sliceIndex);
        }
        return source.layerRange().start() + offset;
    }
}
