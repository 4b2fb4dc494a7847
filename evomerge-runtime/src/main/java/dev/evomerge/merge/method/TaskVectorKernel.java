package dev.evomerge.merge.method;

import dev.evomerge.merge.CounterRandom;
import dev.evomerge.merge.InputTensor;
import dev.evomerge.merge.MergeContext;
import dev.evomerge.tensor.Shape;

/**
 * The arithmetic of one task-vector tensor ({@link TaskVectorMethod}): task vectors {@code x − base} of the chosen
 * models, pruned and rescaled, weighed and combined into the base. Given the whole tensor as its one block ({@code whole}), it prunes each task vector
 * with the whole-vector passes ({@link #taskVector}) and combines in cache-sized blocks; given the executor's
 * blocks, the gathering passes find what pruning and rescaling need and each block is pruned on its own. Both
 * give every element mergekit's float32 operations in mergekit's order. One per tensor; not thread-safe.
 */
final class TaskVectorKernel implements BlockKernel {

    /** Elements per block of the whole-tensor passes: 16 KB of floats. */
    private static final int BLOCK = 4096;

    private final boolean consensus;
    private final int b;
    private final int[] models;
    private final Pruning[] prunings;
    private final float[] w;
    private final boolean whole;
    private final boolean rescaleL1;
    private final boolean observed;
    private final boolean norm;
    private final double lambda;
    private final double[] before;
    private final double[] after;
    private final float[][] deltas;
    private final float[] f;
    private final double[] lanes = new double[Reductions.LANES];
    /** Made for the first block, the longest. */
    private Combiner combiner;

    /**
     * @param method the task-vector method (its pruning, election and parameters)
     * @param spec the checked tensor
     * @param models the inputs whose task vectors are combined, in input order
     * @param numel the elements of the base's tensor
     * @param whole whether {@link #merge} gets the whole tensor as its one block
     */
    TaskVectorKernel(TaskVectorMethod method, CheckedSpec spec, MergeContext context, int[] models, int numel,
            boolean whole) {
        this.consensus = method.signConsensus();
        Sparsifier sparsifier = method.sparsifier();
        this.b = spec.baseIndex();
        this.models = models;
        this.whole = whole;
        int n = models.length;
        this.prunings = new Pruning[n];
        this.w = new float[n];
        boolean pruned = false;
        boolean anyObserved = false;
        Shape baseShape = spec.outputShape();
        for (int j = 0; j < n; j++) {
            InputTensor in = spec.input(models[j]);
            if (sparsifier != null) {
                double density = TaskVectorMethod.DENSITY.valueIn(in.parameters(), in.label());
                CounterRandom.Draws draws = context.random().draws(spec.outputName(), in.modelIndex());
                prunings[j] = sparsifier.plan(baseShape, numel, density, method.extra(in), draws);
                if (prunings[j] != null) {
                    anyObserved |= !whole && prunings[j].blockPasses() != 0;
                    pruned = true;
                }
            }
            w[j] = (float) TaskVectorMethod.WEIGHT.valueIn(in.parameters(), in.label());
        }
        this.observed = anyObserved;
        this.rescaleL1 = pruned && method.rescale(spec);
        this.norm = method.normalize(spec);
        this.lambda = TaskVectorMethod.LAMBDA.valueIn(spec.global(), spec.outputName());
        this.before = new double[n];
        this.after = new double[n];
        this.deltas = new float[n][];
        this.f = new float[n];
    }

    /** Whether the executor's blocks can be merged one at a time (else only the whole tensor). */
    boolean blockable() {
        for (Pruning p : prunings) {
            if (p != null && p.blockPasses() < 0) {
                return false;
            }
        }
        return !(rescaleL1 && observed);
    }

    @Override
    public int passes() {
        if (whole) {
            return 1;
        }
        if (rescaleL1) {
            return 2;
        }
        int observePasses = 0;
        for (Pruning p : prunings) {
            observePasses = p == null ? observePasses : Math.max(observePasses, p.blockPasses());
        }
        return 1 + observePasses;
    }

    @Override
    public void passDone(int pass) {
        for (Pruning p : prunings) {
            if (p != null && !rescaleL1 && pass < p.blockPasses()) {
                p.blockPassDone(pass);
            }
        }
    }

    @Override
    public void observe(int pass, float[][] inputs, long offset, int len) {
        for (int j = 0; j < models.length; j++) {
            // an unpruned task vector needs no pass: its factor is 1
            if (prunings[j] == null || !rescaleL1 && pass >= prunings[j].blockPasses()) {
                continue;
            }
            float[] x = inputs[models[j]];
            for (int from = 0; from < len; from += BLOCK) {
                int n = Math.min(BLOCK, len - from);
                subtract(x, inputs[b], from, n);
                if (rescaleL1) {
                    // the coin flips are a function of the element: the merging pass makes the same ones
                    before[j] += Reductions.sumAbs(x, from, from + n, lanes);
                    prunings[j].pruneBlock(x, from, n, offset + from);
                    after[j] += Reductions.sumAbs(x, from, from + n, lanes);
                } else {
                    prunings[j].observeBlock(pass, x, from, n, offset + from);
                }
            }
        }
    }

    @Override
    public void merge(float[][] inputs, long offset, int len, float[] out) {
        for (int j = 0; j < models.length; j++) {
            float[] x = inputs[models[j]];
            if (whole) {
                f[j] = taskVector(x, inputs[b], prunings[j], rescaleL1);
            } else {
                subtract(x, inputs[b], 0, len);
                if (prunings[j] != null) {
                    prunings[j].pruneBlock(x, 0, len, offset);
                }
                f[j] = rescaleL1 && prunings[j] != null ? Sparsifier.l1Factor(before[j], after[j]) : 1f;
            }
            deltas[j] = x;
        }
        if (whole) {
            combineInBlocks(inputs[b], deltas, f, out);
            return;
        }
        if (combiner == null) {
            combiner = new Combiner(len, models.length, w, norm, lambda);
        }
        combiner.combine(inputs[b], deltas, f, len, out);
    }

    /**
     * out = base + combined deltas over the whole tensor, a block at a time: each block is copied into the
     * combiner's arrays first, so that every loop indexes its arrays alike (the JIT does not vectorise some
     * loops that mix {@code a[from + k]} with {@code b[k]}). {@code out} may be {@code base}.
     */
    private void combineInBlocks(float[] base, float[][] d, float[] f, float[] out) {
        int n = base.length;
        Combiner c = new Combiner(Math.min(BLOCK, n), d.length, w, norm, lambda);
        for (int from = 0; from < n; from += BLOCK) {
            int len = Math.min(BLOCK, n - from);
            for (int j = 0; j < d.length; j++) {
                System.arraycopy(d[j], from, c.deltas[j], 0, len);
            }
            System.arraycopy(base, from, c.base, 0, len);
            c.combine(c.base, c.deltas, f, len, c.base);
            System.arraycopy(c.base, 0, out, from, len);
        }
    }

    /**
     * Turns {@code x} into its pruned task vector {@code x − base} in place, in cache-sized blocks that fuse the
     * subtraction, the pruning passes and the L1 sums, and returns the L1 rescale factor (1 without rescale or
     * pruning), which the combining step applies as mergekit does: the pruned value times the factor, rounded, then
     * times the weight.
     */
    private static float taskVector(float[] x, float[] base, Pruning pruning, boolean rescale) {
        int n = x.length;
        if (pruning == null) {
            subtract(x, base, 0, n);
            return 1f;
        }
        double[] lanes = new double[Reductions.LANES];
        double before = 0;
        double after = 0;
        boolean streaming = pruning.streaming();
        for (int from = 0; from < n; from += BLOCK) {
            int len = Math.min(BLOCK, n - from);
            subtract(x, base, from, len);
            if (rescale) {
                before += Reductions.sumAbs(x, from, from + len, lanes);
            }
            if (streaming) {
                pruning.prune(x, from, len);
                if (rescale) {
                    after += Reductions.sumAbs(x, from, from + len, lanes);
                }
            } else {
                pruning.observe(x, from, len);
            }
        }
        if (!streaming) {
            pruning.prepare(x);
            for (int from = 0; from < n; from += BLOCK) {
                int len = Math.min(BLOCK, n - from);
                pruning.prune(x, from, len);
                if (rescale) {
                    after += Reductions.sumAbs(x, from, from + len, lanes);
                }
            }
        }
        return rescale ? Sparsifier.l1Factor(before, after) : 1f;
    }

    /**
     * The combining step of one block whose arrays all start at the block's first element, with the scratch it
     * needs: a few arrays of the block's length. One per tensor (or per block kernel); not thread-safe.
     */
    private final class Combiner {

        final float[] base;
        final float[][] deltas;
        private final float[] mixed;
        private final float[] div;
        private final float[] vote;
        private final float[] w;
        private final boolean normalize;
        private final float scalarDivisor;
        private final boolean scale;
        private final float lambda;

        Combiner(int size, int models, float[] w, boolean normalize, double lambda) {
            this.base = new float[size];
            this.deltas = new float[models][size];
            this.mixed = new float[size];
            this.div = consensus ? new float[size] : null;
            this.vote = consensus ? new float[size] : null;
            this.w = w;
            this.normalize = normalize;
            float sum = 0f;
            for (float wj : w) {
                sum += wj;
            }
            this.scalarDivisor = Math.abs(sum) < 1e-8f ? 1f : sum;
            this.scale = lambda != 1;
            this.lambda = (float) lambda;
        }

        /**
         * out[0, len) = base + the combined task vectors d[j][0, len) (which it leaves weighted). The steps share
         * loops where they can (a first task vector's loop starts a sum, the last loop divides and adds), so that
         * the block is read fewer times: five passes instead of eleven for TIES with two models; each element still
         * gets mergekit's float32 operations in mergekit's order.
         */
        void combine(float[] base, float[][] d, float[] f, int len, float[] out) {
            if (consensus) {
                weigh(d, f, len, vote);
                elect(d, len);
                if (normalize) {
                    for (int k = 0; k < len; k++) {
                        // a divisor of ±0 becomes 1
                        float divisor = div[k] + (1f - Math.signum(Math.abs(div[k])));
                        float m = mixed[k] / divisor;
                        out[k] = scale ? base[k] + m * lambda : base[k] + m;
                    }
                    return;
                }
            } else {
                weigh(d, f, len, mixed);
                if (normalize && scalarDivisor != 1f) {
                    for (int k = 0; k < len; k++) {
                        mixed[k] /= scalarDivisor;
                    }
                }
            }
            if (scale) {
                for (int k = 0; k < len; k++) {
                    out[k] = base[k] + mixed[k] * lambda;
                }
            } else {
                for (int k = 0; k < len; k++) {
                    out[k] = base[k] + mixed[k];
                }
            }
        }

        /** dⱼ = (dⱼ·fⱼ)·wⱼ, and sum = 0 + Σⱼ dⱼ (the first task vector's loop starts the sum). */
        private void weigh(float[][] d, float[] f, int len, float[] sum) {
            for (int j = 0; j < d.length; j++) {
                float[] dj = d[j];
                float fj = f[j];
                float wj = w[j];
                boolean first = j == 0;
                for (int k = 0; k < len; k++) {
                    float wd = dj[k] * fj * wj;
                    dj[k] = wd;
                    sum[k] = (first ? 0f : sum[k]) + wd;
                }
            }
        }

        /**
         * TIES' election over weighted task vectors whose sum is in {@code vote}: the majority sign of the sum (ties
         * to +1), then mixed = Σ Dⱼ·maskⱼ and div = Σ wⱼ·maskⱼ, where maskⱼ is 1 where sign(Dⱼ) is the majority's
         * (zeros never are), else 0, as mergekit multiplies by the mask. The first task vector's terms start the sums
         * in the loop that finds the sign.
         */
        private void elect(float[][] d, int len) {
            float[] d0 = d[0];
            float w0 = w[0];
            for (int k = 0; k < len; k++) {
                // ±1, and +1 where the sum is ±0
                float sign = Math.signum(vote[k]);
                float v = sign + 1f - sign * sign;
                vote[k] = v;
                float wd = d0[k];
                // s·(vote + s)/2 is 1 where s = vote, 0 where s = −vote or s = ±0
                float s = Math.signum(wd);
                float agrees = 0.5f * s * (v + s);
                mixed[k] = 0f + wd * agrees;
                div[k] = 0f + w0 * agrees;
            }
            for (int j = 1; j < d.length; j++) {
                float[] dj = d[j];
                float wj = w[j];
                for (int k = 0; k < len; k++) {
                    float wd = dj[k];
                    float s = Math.signum(wd);
                    float agrees = 0.5f * s * (vote[k] + s);
                    mixed[k] += wd * agrees;
                    div[k] += wj * agrees;
                }
            }
        }
    }

    /** x −= base over {@code [from, from+len)}. */
    private static void subtract(float[] x, float[] base, int from, int len) {
        for (int e = from, end = from + len; e < end; e++) {
            x[e] -= base[e];
        }
    }
}
