package dev.evomerge.merge.method;

/**
 * A merge of one tensor done a block of elements at a time, for methods whose output element depends only on the
 * same element of each input and on per-tensor numbers that one pass over the data can gather (the L1 norms DARE
 * rescales with). The executor decodes each block of every input from the mapped models into small arrays, so no
 * whole-tensor array is ever allocated and every step runs while the block is in cache. The result is the same
 * bytes as {@link MergeMethod#merge} gives.
 *
 * <p>The executor calls {@link #observe} for every block in order in each of the first {@link #passes()} − 1
 * passes (numbered from 0) and {@link #passDone} after each, then {@link #merge} for every block in order. Offsets
 * and lengths are multiples of {@link #ALIGNMENT} except for the last block, so reductions over blocks add up in
 * the order the whole-tensor kernel uses. One per tensor; not thread-safe.
 */
public interface BlockKernel {

    /** Blocks start at multiples of this many elements. */
    int ALIGNMENT = 4096;

    /** How many passes over the inputs the kernel needs: 1, or more when the first ones gather per-tensor numbers. */
    default int passes() {
        return 1;
    }

    /**
     * A block of gathering pass {@code pass}.
     *
     * @param inputs one array per input, its first {@code len} elements hold the block (the kernel may overwrite
     *     them)
     * @param offset the block's first element within the tensor
     */
    default void observe(int pass, float[][] inputs, long offset, int len) {
    }

    /**
     * Gathering pass {@code pass} has observed every block. What it gathered may settle the kernel's numbers early:
     * the executor reads {@link #passes()} again after this, and it may have become smaller (but not smaller than
     * {@code pass + 2}: the passes done and the merging pass).
     */
    default void passDone(int pass) {
    }

    /**
     * A block of the merging pass: writes {@code out[0, len)}.
     *
     * @param inputs one array per input, its first {@code len} elements hold the block (the kernel may overwrite
     *     them)
     * @param offset the block's first element within the tensor
     */
    void merge(float[][] inputs, long offset, int len, float[] out);
}
