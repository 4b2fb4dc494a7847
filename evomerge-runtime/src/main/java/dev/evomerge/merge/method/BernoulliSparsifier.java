package dev.evomerge.merge.method;

import dev.evomerge.diag.RunException;
import dev.evomerge.merge.CounterRandom;
import dev.evomerge.tensor.Shape;
import java.util.List;

/**
 * DARE's pruning: keeps each element independently with probability {@code density} (mergekit's
 * {@code sparsify.bernoulli}). Element {@code e} is kept when {@code draws.uniformFloat(e) < (float) density}, so
 * the mask is a pure function of (seed, tensor, model, element).
 *
 * <p>Stateless and thread-safe.
 */
final class BernoulliSparsifier implements Sparsifier {

    @Override
    public List<ParameterDefinition> extraParameters() {
        return List.of();
    }

    @Override
    public void check(double density, double extra, long numel, String where) {
        if (density < 0) {
            throw new RunException("density " + density + " for " + where + " is negative",
                    "use a density between 0 and 1 (the probability of keeping each element)");
        }
    }

    @Override
    public Pruning plan(Shape shape, int numel, double density, double extra, CounterRandom.Draws draws) {
        if (density >= 1) {
            return null;
        }
        // u(e) = k(e)·2⁻²⁴ with k(e) a 24-bit integer, so u(e) < p exactly when k(e) < ⌈p·2²⁴⌉ (p·2²⁴ is exact)
        int threshold = (int) Math.ceil((float) density * 0x1p24);
        int[] k = new int[Math.min(BLOCK, numel)];
        float[] block = new float[k.length];
        return new Pruning() {
            @Override
            public boolean streaming() {
                return true;
            }

            @Override
            public void pruneBlock(float[] delta, int from, int len, long absoluteFrom) {
                pruneRange(delta, from, len, absoluteFrom);
            }

            @Override
            public void prune(float[] delta, int from, int len) {
                pruneRange(delta, from, len, from);
            }

            /** One bit per element, set where kept: the decisions of the first pass, for the second. */
            private long[] keptBits;

            /** Blocks start at multiples of 64 elements (of {@link BlockKernel#ALIGNMENT}): a word of bits each. */
            @Override
            public double rememberBlock(float[] delta, int from, int len, long absoluteFrom) {
                checkAligned(absoluteFrom);
                if (keptBits == null) {
                    keptBits = new long[(numel + 63) >>> 6];
                }
                double kept = 0;
                for (int start = 0; start < len; start += k.length) {
                    int count = Math.min(k.length, len - start);
                    long element = absoluteFrom + start;
                    draws.fillUniform24(element, k, 0, count);
                    for (int j0 = 0; j0 < count; j0 += 64) {
                        int m = Math.min(64, count - j0);
                        long word = 0;
                        for (int q = 0; q < m; q++) {
                            word |= (long) ((k[j0 + q] - threshold) >>> 31) << q;
                        }
                        keptBits[(int) ((element + j0) >>> 6)] = word;
                    }
                    kept += sumAbsKept(delta, from + start, count);
                }
                return kept;
            }

            /**
             * {@link Reductions#sumAbs} of {@code delta[from, from+count)} as {@link #applyKept} would leave it, in
             * the same order of additions (so the same double), without changing it.
             */
            private double sumAbsKept(float[] delta, int from, int count) {
                System.arraycopy(delta, from, block, 0, count);
                for (int j = 0; j < count; j++) {
                    block[j] = Math.abs(block[j]) * (float) ((k[j] - threshold) >>> 31);
                }
                return Reductions.sumAbs(block, 0, count);
            }

            @Override
            public void replayBlock(float[] delta, int from, int len, long absoluteFrom) {
                checkAligned(absoluteFrom);
                for (int start = 0; start < len; start += k.length) {
                    int count = Math.min(k.length, len - start);
                    long element = absoluteFrom + start;
                    for (int j0 = 0; j0 < count; j0 += 64) {
                        int m = Math.min(64, count - j0);
                        long word = keptBits[(int) ((element + j0) >>> 6)];
                        // threshold − 1 where kept, threshold where dropped: applyKept keeps where k < threshold
                        for (int q = 0; q < m; q++) {
                            k[j0 + q] = threshold - (int) ((word >>> q) & 1);
                        }
                    }
                    applyKept(delta, from + start, count);
                }
            }

            /** Draws the coin flips of elements {@code [element, element+len)} and prunes {@code delta} with them. */
            private void pruneRange(float[] delta, int from, int len, long element) {
                for (int start = 0; start < len; start += k.length) {
                    int count = Math.min(k.length, len - start);
                    draws.fillUniform24(element + start, k, 0, count);
                    applyKept(delta, from + start, count);
                }
            }

            /**
             * Keeps {@code delta[from + j]} where {@code k[j] < threshold}, for j below {@code count}, multiplying by
             * a 1 or 0 made without a branch (the outcome is random), so a dropped element becomes ±0 as torch's
             * {@code tensor * mask} gives. The block is copied so that the loop indexes every array alike and
             * vectorises.
             */
            private void applyKept(float[] delta, int from, int count) {
                System.arraycopy(delta, from, block, 0, count);
                for (int j = 0; j < count; j++) {
                    block[j] *= (float) ((k[j] - threshold) >>> 31);
                }
                System.arraycopy(block, 0, delta, from, count);
            }
        };
    }

    /** Remembered decisions are a word of bits per 64 elements, so blocks start at multiples of 64. */
    private static void checkAligned(long absoluteFrom) {
        if ((absoluteFrom & 63) != 0) {
            throw new IllegalArgumentException("block at element " + absoluteFrom + " is not aligned");
        }
    }
}
