package dev.evomerge.tensor;

import java.util.Arrays;

/**
 * A tensor shape: its dimensions, outermost first, as in safetensors and PyTorch. Immutable.
 */
public final class Shape {

    private static final Shape SCALAR = new Shape(new long[0]);

    private final long[] dims;

    private Shape(long[] dims) {
        this.dims = dims;
    }

    /** A shape with the given dimensions; each must be >= 0. */
    public static Shape of(long... dims) {
        if (dims.length == 0) {
            return SCALAR;
        }
        for (long d : dims) {
            if (d < 0) {
                throw new IllegalArgumentException("dimensions must be >= 0, got " + Arrays.toString(dims));
            }
        }
        return new Shape(dims.clone());
    }

    public int rank() {
        return dims.length;
    }

    public long dim(int i) {
        return dims[i];
    }

    /** The dimensions, as a copy. */
    public long[] dims() {
        return dims.clone();
    }

    /** The number of elements; 1 for a scalar. Throws if it overflows a long. */
    public long numel() {
        long n = 1;
        for (long d : dims) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Shape s && Arrays.equals(dims, s.dims);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(dims);
    }

    /** {@code [4096, 11008]}, as safetensors writes it. */
    @Override
    public String toString() {
        return Arrays.toString(dims);
    }
}
