package dev.evomerge.merge.method;

import dev.evomerge.diag.RunException;
import dev.evomerge.merge.CounterRandom;
import dev.evomerge.merge.InputTensor;
import dev.evomerge.merge.MergeContext;
import dev.evomerge.merge.MergedTensor;
import dev.evomerge.merge.TensorMergeInput;
import dev.evomerge.merge.TensorMergeSpec;
import dev.evomerge.tensor.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The generalized task-arithmetic engine behind task_arithmetic, ties, dare_*, breadcrumbs*, and della*
 * (mergekit's {@code GeneralizedTaskArithmeticMerge} / {@code GTATask}), configured by a {@link Sparsifier} (or
 * none) and whether TIES' sign consensus is applied.
 *
 * <p>Per tensor: task vectors {@code δᵢ = xᵢ − base} (shape rules below), each pruned by the sparsifier at its
 * model's {@code density} and rescaled to its former L1 norm when {@code rescale}; weighted {@code Dᵢ = wᵢ·δᵢ}.
 * With consensus, the majority sign is {@code +1 where Σᵢ Dᵢ >= 0, else −1}, a model takes part in an element only
 * where {@code sign(Dᵢ)} equals it (zeros never do), {@code mixed = Σ Dᵢ·maskᵢ} and the per-element divisor is
 * {@code Σ wᵢ·maskᵢ} (0 replaced by 1). Without consensus {@code mixed = Σ Dᵢ} and the divisor is the scalar
 * {@code Σ wᵢ} (replaced by 1 when its magnitude is below 1e-8). Then {@code mixed /= divisor} if
 * {@code normalize}, {@code mixed *= lambda} if lambda ≠ 1, and the result is {@code base + mixed}. Element-wise
 * steps are float32 in mergekit's order (models in input order); {@code int8_mask} has no numeric effect.
 *
 * <p>Shapes (mergekit's {@code get_task_vectors}): an embedding of another model is cut to the base's
 * {@code [rows, cols]} with a warning (it fails when smaller than the base); another tensor whose shape differs
 * from the base's is skipped with a warning.
 *
 * <p>The computation runs in place in the input arrays (task vectors overwrite the models' arrays, the result the
 * base's), so a tensor needs no memory beyond its inputs and a few 4096-element blocks. Stateless and thread-safe.
 */
abstract class TaskVectorMethod extends AbstractMergeMethod {

    static final ParameterDefinition INT8_MASK = ParameterDefinition.optional("int8_mask", ParameterKind.BOOLEAN, 0);
    static final ParameterDefinition LAMBDA = ParameterDefinition.optional("lambda", ParameterKind.NUMBER, 1.0);
    static final ParameterDefinition WEIGHT = ParameterDefinition.required("weight", ParameterKind.NUMBER);
    static final ParameterDefinition DENSITY = ParameterDefinition.optional("density", ParameterKind.NUMBER, 1.0);

    private static final int BLOCK = 4096;

    private final Sparsifier sparsifier;
    private final boolean consensus;
    private final ParameterDefinition normalize;
    private final ParameterDefinition rescale;

    TaskVectorMethod(String name, String prettyName, String referenceUrl, Sparsifier sparsifier, boolean consensus,
            boolean defaultNormalize, boolean defaultRescale) {
        super(name, prettyName, referenceUrl,
                List.of(INT8_MASK, normalizeDefinition(defaultNormalize), rescaleDefinition(defaultRescale), LAMBDA),
                modelDefinitions(sparsifier), BaseModelUse.REQUIRED);
        this.sparsifier = sparsifier;
        this.consensus = consensus;
        this.normalize = normalizeDefinition(defaultNormalize);
        this.rescale = rescaleDefinition(defaultRescale);
    }

    private static ParameterDefinition normalizeDefinition(boolean defaultValue) {
        return ParameterDefinition.optional("normalize", ParameterKind.BOOLEAN, defaultValue ? 1 : 0);
    }

    private static ParameterDefinition rescaleDefinition(boolean defaultValue) {
        return ParameterDefinition.optional("rescale", ParameterKind.BOOLEAN, defaultValue ? 1 : 0);
    }

    private static List<ParameterDefinition> modelDefinitions(Sparsifier sparsifier) {
        List<ParameterDefinition> defs = new ArrayList<>(List.of(WEIGHT, DENSITY));
        if (sparsifier != null) {
            defs.addAll(sparsifier.extraParameters());
        }
        return defs;
    }

    @Override
    public final boolean stochastic() {
        return sparsifier instanceof BernoulliSparsifier || sparsifier instanceof DellaSparsifier;
    }

    @Override
    public final void check(TensorMergeSpec spec) {
        requireBase(spec);
        checkGlobals(spec);
        Shape baseShape = spec.input(spec.baseIndex()).shape();
        for (int i : Operands.othersOf(spec)) {
            InputTensor in = spec.input(i);
            WEIGHT.valueIn(in.parameters(), in.label());
            if (cutToBase(spec, in.shape(), baseShape) == ShapeRule.FAILS) {
                throw new RunException(name() + ": " + in.label() + " has shape " + in.shape()
                        + ", smaller than the base model's " + baseShape,
                        "make the base model the one with the smallest vocabulary, or add a tokenizer section");
            }
            if (sparsifier != null) {
                double density = DENSITY.valueIn(in.parameters(), in.label());
                sparsifier.check(density, extra(in), in.shape().numel(), in.label());
            }
        }
    }

    @Override
    public final Shape outputShape(TensorMergeSpec spec) {
        check(spec);
        return spec.input(spec.baseIndex()).shape();
    }

    /** Copies of embeddings cut to the base's size, the combine blocks and the sparsifier's scratch. */
    @Override
    public final long workingBytes(TensorMergeSpec spec) {
        check(spec);
        Shape baseShape = spec.input(spec.baseIndex()).shape();
        long bytes = 5L * 4 * BLOCK;
        for (int i : Operands.othersOf(spec)) {
            if (cutToBase(spec, spec.input(i).shape(), baseShape) == ShapeRule.CUT) {
                bytes += 4 * baseShape.numel();
            }
        }
        if (sparsifier != null) {
            // two radix histograms of 2^16 ints per boundary, or DELLA's packed row, or a block of draws
            long cols = baseShape.rank() < 2 ? baseShape.numel() : baseShape.dim(1);
            bytes += Math.max(3L * 4 * (1 << 16), 8 * cols);
        }
        return bytes;
    }

    @Override
    public final Optional<MergedTensor> merge(TensorMergeInput input, MergeContext context) {
        TensorMergeSpec spec = input.spec();
        check(spec);
        int b = spec.baseIndex();
        float[] base = input.values(b);
        Shape baseShape = spec.input(b).shape();
        boolean rescaleL1 = rescale.flagIn(spec.global(), spec.outputName());
        List<float[]> deltas = new ArrayList<>();
        List<Float> weights = new ArrayList<>();
        List<Float> factors = new ArrayList<>();
        for (int i : Operands.othersOf(spec)) {
            InputTensor in = spec.input(i);
            float[] x = input.values(i);
            switch (cutToBase(spec, in.shape(), baseShape)) {
                case SAME -> { }
                case CUT -> {
                    x = Operands.topLeft(x, in.shape(), baseShape);
                    context.events().warn("Using submatrix of " + in.label());
                }
                case SKIP -> {
                    context.events().warn("skipping " + in.label() + " due to size mismatch");
                    continue;
                }
                case FAILS -> throw new IllegalStateException("check() lets no failing shape through");
            }
            Pruning pruning = null;
            if (sparsifier != null) {
                double density = DENSITY.valueIn(in.parameters(), in.label());
                CounterRandom.Draws draws = context.random().draws(spec.outputName(), in.modelIndex());
                pruning = sparsifier.plan(baseShape, x.length, density, extra(in), draws);
            }
            factors.add(taskVector(x, base, pruning, rescaleL1));
            deltas.add(x);
            weights.add((float) WEIGHT.valueIn(in.parameters(), in.label()));
        }
        if (deltas.isEmpty()) {
            return Optional.of(new MergedTensor(baseShape, base));
        }
        float[] w = new float[weights.size()];
        float[] f = new float[weights.size()];
        for (int j = 0; j < w.length; j++) {
            w[j] = weights.get(j);
            f[j] = factors.get(j);
        }
        boolean norm = normalize.flagIn(spec.global(), spec.outputName());
        double lambda = LAMBDA.valueIn(spec.global(), spec.outputName());
        combine(base, deltas.toArray(float[][]::new), f, w, norm, lambda);
        return Optional.of(new MergedTensor(baseShape, base));
    }

    /**
     * The block form when every input has the base's shape and each pruning (if any) can take its task vector a
     * block at a time. DARE's coin flips are keyed by element, so a block is pruned alone; with {@code rescale}, a
     * first pass sums each task vector's L1 norm before and after pruning, block by block in the order
     * {@link #taskVector} sums them, and remembers the flips for the second. A magnitude pruning (TIES, breadcrumbs)
     * takes two passes to find its boundary magnitudes (without {@code rescale}, which would need a third).
     */
    @Override
    public final Optional<BlockKernel> blockKernel(TensorMergeSpec spec, MergeContext context) {
        check(spec);
        int b = spec.baseIndex();
        Shape baseShape = spec.input(b).shape();
        int[] others = Operands.othersOf(spec);
        long numel = baseShape.numel();
        if (numel > Integer.MAX_VALUE) {
            return Optional.empty();
        }
        Pruning[] prunings = new Pruning[others.length];
        float[] w = new float[others.length];
        boolean pruned = false;
        int observePasses = 0;
        for (int j = 0; j < others.length; j++) {
            InputTensor in = spec.input(others[j]);
            if (!in.shape().equals(baseShape)) {
                return Optional.empty();
            }
            if (sparsifier != null) {
                double density = DENSITY.valueIn(in.parameters(), in.label());
                CounterRandom.Draws draws = context.random().draws(spec.outputName(), in.modelIndex());
                prunings[j] = sparsifier.plan(baseShape, (int) numel, density, extra(in), draws);
                if (prunings[j] != null) {
                    if (prunings[j].blockPasses() < 0) {
                        return Optional.empty();
                    }
                    observePasses = Math.max(observePasses, prunings[j].blockPasses());
                    pruned = true;
                }
            }
            w[j] = (float) WEIGHT.valueIn(in.parameters(), in.label());
        }
        if (others.length == 0) {
            return Optional.of((inputs, offset, len, out) -> System.arraycopy(inputs[b], 0, out, 0, len));
        }
        boolean rescaleL1 = pruned && rescale.flagIn(spec.global(), spec.outputName());
        if (rescaleL1 && observePasses > 0) {
            return Optional.empty();
        }
        int passes = 1 + (rescaleL1 ? 1 : observePasses);
        boolean norm = normalize.flagIn(spec.global(), spec.outputName());
        double lambda = LAMBDA.valueIn(spec.global(), spec.outputName());
        double[] before = new double[others.length];
        double[] after = new double[others.length];
        float[][] deltas = new float[others.length][];
        float[] f = new float[others.length];
        return Optional.of(new BlockKernel() {
            @Override
            public int passes() {
                return passes;
            }

            @Override
            public void observe(int pass, float[][] inputs, long offset, int len) {
                for (int j = 0; j < others.length; j++) {
                    // an unpruned task vector needs no pass: its factor is 1
                    if (prunings[j] == null || !rescaleL1 && pass >= prunings[j].blockPasses()) {
                        continue;
                    }
                    float[] x = inputs[others[j]];
                    for (int from = 0; from < len; from += BLOCK) {
                        int n = Math.min(BLOCK, len - from);
                        subtract(x, inputs[b], from, n);
                        if (rescaleL1) {
                            before[j] += Reductions.sumAbs(x, from, from + n);
                            after[j] += prunings[j].rememberBlock(x, from, n, offset + from);
                        } else {
                            prunings[j].observeBlock(pass, x, from, n, offset + from);
                        }
                    }
                }
            }

            @Override
            public void merge(float[][] inputs, long offset, int len, float[] out) {
                for (int j = 0; j < others.length; j++) {
                    float[] x = inputs[others[j]];
                    subtract(x, inputs[b], 0, len);
                    if (prunings[j] != null && rescaleL1) {
                        prunings[j].replayBlock(x, 0, len, offset);
                    } else if (prunings[j] != null) {
                        prunings[j].pruneBlock(x, 0, len, offset);
                    }
                    f[j] = rescaleL1 && prunings[j] != null ? Sparsifier.l1Factor(before[j], after[j]) : 1f;
                    deltas[j] = x;
                }
                float[] base = inputs[b];
                combine(base, len, deltas, f, w, norm, lambda);
                System.arraycopy(base, 0, out, 0, len);
            }
        });
    }

    /**
     * Turns {@code x} into its pruned task vector {@code x − base} in place, in cache-sized blocks that fuse the
     * subtraction, the pruning passes and the L1 sums, and returns the L1 rescale factor (1 without rescale or
     * pruning), which {@link #combine} applies as mergekit does: the pruned value times the factor, rounded, then
     * times the weight.
     */
    private static float taskVector(float[] x, float[] base, Pruning pruning, boolean rescale) {
        int n = x.length;
        if (pruning == null) {
            subtract(x, base, 0, n);
            return 1f;
        }
        double before = 0;
        double after = 0;
        boolean streaming = pruning.streaming();
        for (int from = 0; from < n; from += BLOCK) {
            int len = Math.min(BLOCK, n - from);
            subtract(x, base, from, len);
            if (rescale) {
                before += Reductions.sumAbs(x, from, from + len);
            }
            if (streaming) {
                pruning.prune(x, from, len);
                if (rescale) {
                    after += Reductions.sumAbs(x, from, from + len);
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
                    after += Reductions.sumAbs(x, from, from + len);
                }
            }
        }
        return rescale ? Sparsifier.l1Factor(before, after) : 1f;
    }

    /**
     * base += combined deltas, in blocks, with mergekit's float32 operation order; task vector j enters as
     * (dⱼ·fⱼ)·wⱼ, with fⱼ its L1 rescale factor. Each block is copied into scratch arrays first: the JIT vectorises
     * loops whose arrays share one index, not loops that mix {@code a[from + k]} with {@code b[k]}.
     */
    private void combine(float[] base, float[][] d, float[] f, float[] w, boolean normalize, double lambda) {
        combine(base, base.length, d, f, w, normalize, lambda);
    }

    /** {@link #combine} over {@code base[0, n)}. */
    private void combine(float[] base, int n, float[][] d, float[] f, float[] w, boolean normalize, double lambda) {
        float lambdaF = (float) lambda;
        boolean scale = lambda != 1;
        int size = Math.min(BLOCK, n);
        float[] block = new float[size];
        float[] mixed = new float[size];
        float[] div = new float[size];
        float[] vote = consensus ? new float[size] : null;
        float scalarDivisor = 0f;
        for (float wj : w) {
            scalarDivisor += wj;
        }
        if (Math.abs(scalarDivisor) < 1e-8f) {
            scalarDivisor = 1f;
        }
        for (int from = 0; from < n; from += BLOCK) {
            int len = Math.min(BLOCK, n - from);
            if (consensus) {
                consensusBlock(d, f, w, from, len, block, mixed, div, vote);
                if (!normalize) {
                    java.util.Arrays.fill(div, 0, len, 1f);
                }
            } else {
                sumBlock(d, f, w, from, len, block, mixed);
                java.util.Arrays.fill(div, 0, len, normalize ? scalarDivisor : 1f);
            }
            System.arraycopy(base, from, block, 0, len);
            addMixed(block, len, mixed, div, scale, lambdaF);
            System.arraycopy(block, 0, base, from, len);
        }
    }

    /** x −= base over {@code [from, from+len)}. */
    static void subtract(float[] x, float[] base, int from, int len) {
        for (int e = from, end = from + len; e < end; e++) {
            x[e] -= base[e];
        }
    }

    /** mixed = Σⱼ (dⱼ·fⱼ)·wⱼ over one block. */
    private static void sumBlock(float[][] d, float[] f, float[] w, int from, int len, float[] block,
            float[] mixed) {
        java.util.Arrays.fill(mixed, 0, len, 0f);
        for (int j = 0; j < d.length; j++) {
            System.arraycopy(d[j], from, block, 0, len);
            float fj = f[j];
            float wj = w[j];
            for (int k = 0; k < len; k++) {
                mixed[k] += block[k] * fj * wj;
            }
        }
    }

    /** TIES' election over one block: mixed = Σ Dⱼ·maskⱼ, div = Σ wⱼ·maskⱼ with 0 replaced by 1. */
    private static void consensusBlock(float[][] d, float[] f, float[] w, int from, int len, float[] block,
            float[] mixed, float[] div, float[] vote) {
        sumBlock(d, f, w, from, len, block, vote);
        for (int k = 0; k < len; k++) {
            // the majority sign as ±1, ties (±0) to +1: vote + 0 turns −0 into +0
            vote[k] = Math.copySign(1f, vote[k] + 0f);
        }
        java.util.Arrays.fill(mixed, 0, len, 0f);
        java.util.Arrays.fill(div, 0, len, 0f);
        for (int j = 0; j < d.length; j++) {
            System.arraycopy(d[j], from, block, 0, len);
            float fj = f[j];
            float wj = w[j];
            for (int k = 0; k < len; k++) {
                float wd = block[k] * fj * wj;
                // sign(wd) equals the majority exactly when wd·vote > 0 (zeros never agree); then the model adds
                // wd and its weight, else 0 (mergekit multiplies by the mask)
                float agrees = Branchless.positive(wd * vote[k]);
                mixed[k] += wd * agrees;
                div[k] += wj * agrees;
            }
        }
        for (int k = 0; k < len; k++) {
            // a divisor of ±0 becomes 1
            div[k] += 1f - Branchless.positive(Math.abs(div[k]));
        }
    }

    /** block += (mixed / div)·lambda (div is 1 where nothing is normalised). */
    private static void addMixed(float[] block, int len, float[] mixed, float[] div, boolean scale, float lambda) {
        if (scale) {
            for (int k = 0; k < len; k++) {
                block[k] += mixed[k] / div[k] * lambda;
            }
        } else {
            for (int k = 0; k < len; k++) {
                block[k] += mixed[k] / div[k];
            }
        }
    }

    private double extra(InputTensor in) {
        List<ParameterDefinition> extras = sparsifier.extraParameters();
        return extras.isEmpty() ? Double.NaN : extras.get(0).valueIn(in.parameters(), in.label());
    }

    private enum ShapeRule { SAME, CUT, SKIP, FAILS }

    private static ShapeRule cutToBase(TensorMergeSpec spec, Shape shape, Shape baseShape) {
        if (shape.equals(baseShape)) {
            return ShapeRule.SAME;
        }
        if (!spec.embedding()) {
            return ShapeRule.SKIP;
        }
        boolean fits = shape.rank() == 2 && baseShape.rank() == 2
                && shape.dim(0) >= baseShape.dim(0) && shape.dim(1) >= baseShape.dim(1);
        return fits ? ShapeRule.CUT : ShapeRule.FAILS;
    }
}
