package dev.evomerge.merge.method;

/**
 * How a {@link Sparsifier} prunes one task vector, in passes over blocks so that the task-vector engine can fuse
 * them with its own work (subtracting the base, summing L1 norms) while a block is in cache: every block is first
 * {@linkplain #observe observed}, then {@link #prepare} sees the whole vector once, then every block is
 * {@linkplain #prune pruned}. A {@linkplain #streaming() streaming} pruning needs neither, so observe and prune
 * run in the same pass.
 *
 * <p>One per task vector and tensor; not thread-safe.
 */
interface Pruning {

    /** Whether {@link #prune} needs nothing from {@link #observe} or {@link #prepare} (DARE's coin flips). */
    default boolean streaming() {
        return false;
    }

    /** First pass: sees {@code delta[from, from+len)} before any pruning. */
    default void observe(float[] delta, int from, int len) {
    }

    /** Between the passes, with the whole unpruned task vector. */
    default void prepare(float[] delta) {
    }

    /** Second pass: zeroes the pruned elements of {@code delta[from, from+len)}. */
    void prune(float[] delta, int from, int len);

    /**
     * {@link #prune} on a block held in its own array, once the {@link #blockPasses()} passes are done: zeroes the
     * pruned elements of {@code block[from, from+len)}, which are elements {@code [absoluteFrom, absoluteFrom+len)}
     * of the task vector.
     */
    default void pruneBlock(float[] block, int from, int len, long absoluteFrom) {
        throw new UnsupportedOperationException("only a streaming pruning prunes blocks on their own");
    }

    /**
     * How many passes over the task vector, a block at a time in index order, must come before {@link #pruneBlock}
     * (which then also sees the blocks in index order): 0 for a streaming pruning, -1 when this pruning needs the
     * whole vector at once.
     */
    default int blockPasses() {
        return streaming() ? 0 : -1;
    }

    /** Pass {@code pass} (below {@link #blockPasses()}) over {@code block[from, from+len)}. */
    default void observeBlock(int pass, float[] block, int from, int len, long absoluteFrom) {
        throw new UnsupportedOperationException("this pruning takes no passes over blocks");
    }

    /**
     * Pass {@code pass} has observed every block. What it found may make later passes unnecessary: {@link
     * #blockPasses()} is read again after this and may have become smaller (never smaller than {@code pass + 1}).
     */
    default void blockPassDone(int pass) {
    }

}
