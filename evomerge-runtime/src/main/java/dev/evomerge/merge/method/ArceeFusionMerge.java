package dev.evomerge.merge.method;

import dev.evomerge.merge.CounterRandom;
import dev.evomerge.merge.MergeContext;
import dev.evomerge.merge.MergedTensor;
import dev.evomerge.merge.TensorMergeInput;
import dev.evomerge.tensor.Shape;
import java.util.List;
import java.util.Optional;

/**
 * Arcee Fusion: takes the other model's change only where it matters most, by an importance score
 * {@code |x − base| · KL(softmax(x) ‖ softmax(base))} (softmax and KL per row, both distributions + 1e-8) above a
 * dynamic threshold {@code median + 1.5·(q3 − q1)}. From Arcee AI, https://arcee.ai; matches mergekit's
 * {@code ArceeFusionMergeTask} and {@code DynamicThresholdFusion} ({@code merge_methods/arcee_fusion.py}).
 *
 * <p>Quantile {@code q} is the element at ascending rank {@code floor(q·(n−1))} (float32 product), found by
 * linear-time selection. Up to 10⁶ elements the quantiles are exact; above, as in mergekit, they come from a
 * sample of 10⁶ elements, here a uniform sample without replacement (Knuth's selection sampling) drawn from the
 * run's {@link CounterRandom} for this tensor and the other model, so reruns agree. Needs the base and exactly
 * one other model; embeddings of different sizes are cut to their common submatrix. Element-wise steps float32 in
 * mergekit's order, exp and log {@link StrictMath}, row sums float64 rounded to float.
 *
 * <p>Stateless and thread-safe.
 */
public final class ArceeFusionMerge extends AbstractMergeMethod {

    static final int SAMPLE_SIZE = 1_000_000;
    private static final float KL_EPS = 1e-8f;

    public ArceeFusionMerge() {
        super("arcee_fusion", "Arcee Fusion", "https://arcee.ai", List.of(), List.of(), BaseModelUse.REQUIRED,
                new Arity(1, 1, Arity.LoneInput.PASSES, "merges exactly two models, the base and one other",
                        "list one model besides base_model", false), ShapeRule.COMMON_SUBMATRIX);
    }

    @Override
    public boolean stochastic() {
        return true;
    }

    @Override
    long extraWorkingBytes(CheckedSpec spec) {
        Shape shape = spec.outputShape();
        long numel = shape.numel();
        long cols = shape.rank() == 0 ? 1 : shape.dim(shape.rank() - 1);
        return 4 * numel + 4 * Math.min(numel, SAMPLE_SIZE) + 8 * cols + (2L << 18);
    }

    @Override
    Optional<MergedTensor> merge(CheckedSpec spec, TensorMergeInput input, MergeContext context) {
        Operands ops = Operands.baseAndOther(input, context.events());
        float[] base = ops.values(ops.base());
        float[] x = ops.values(ops.other());
        Shape shape = ops.shape(ops.base());
        float[] importance = importance(x, base, shape);
        CounterRandom.Draws draws = context.random().draws(spec.outputName(), spec.input(ops.other()).modelIndex());
        float threshold = threshold(importance, draws);
        for (int e = 0; e < base.length; e++) {
            float delta = x[e] - base[e];
            float mask = importance[e] >= threshold ? 1f : 0f;
            base[e] = base[e] + delta * mask;
        }
        return Optional.of(new MergedTensor(shape, base));
    }

    /** {@code |x − base| · KL} per element, KL per row of the last dimension. */
    static float[] importance(float[] x, float[] base, Shape shape) {
        int len = x.length;
        int cols = shape.rank() == 0 ? 1 : Math.toIntExact(shape.dim(shape.rank() - 1));
        float[] out = new float[len];
        float[] p = new float[cols];
        float[] q = new float[cols];
        for (int from = 0; cols > 0 && from < len; from += cols) {
            softmax(x, from, cols, p);
            softmax(base, from, cols, q);
            double kl = 0;
            for (int c = 0; c < cols; c++) {
                float pc = p[c] + KL_EPS;
                float qc = q[c] + KL_EPS;
                kl += pc * (float) StrictMath.log(pc / qc);
            }
            float klRow = (float) kl;
            for (int c = 0; c < cols; c++) {
                out[from + c] = Math.abs(x[from + c] - base[from + c]) * klRow;
            }
        }
        return out;
    }

    /** Softmax of {@code v[from, from+n)} into {@code out}: exp(v − max) / Σ, float32 values, float64 sum. */
    private static void softmax(float[] v, int from, int n, float[] out) {
        float max = Float.NEGATIVE_INFINITY;
        for (int c = 0; c < n; c++) {
            max = Math.max(max, v[from + c]);
        }
        double sum = 0;
        for (int c = 0; c < n; c++) {
            out[c] = (float) StrictMath.exp(v[from + c] - max);
            sum += out[c];
        }
        float s = (float) sum;
        for (int c = 0; c < n; c++) {
            out[c] /= s;
        }
    }

    /** {@code median + 1.5·(q3 − q1)} of the importances (or of a sample of them). */
    static float threshold(float[] importance, CounterRandom.Draws draws) {
        float[] values = importance.length > SAMPLE_SIZE ? sample(importance, draws) : importance.clone();
        int n = values.length;
        long[] ranks = {quantileIndex(0.5f, n), quantileIndex(0.25f, n), quantileIndex(0.75f, n)};
        RankSelection.Boundary[] at = RankSelection.boundaries(values, n, false, ranks);
        float median = RankSelection.valueOfKey(at[0].key());
        float q1 = RankSelection.valueOfKey(at[1].key());
        float q3 = RankSelection.valueOfKey(at[2].key());
        return median + 1.5f * (q3 - q1);
    }

    /** mergekit's {@code (q * (numel - 1)).long()} with q a float32 tensor. */
    static long quantileIndex(float q, int n) {
        return (long) (q * (float) (n - 1));
    }

    /**
     * {@value #SAMPLE_SIZE} elements chosen uniformly without replacement, in index order (Knuth's Algorithm S:
     * element e is taken with probability needed / remaining, using draw e).
     */
    static float[] sample(float[] values, CounterRandom.Draws draws) {
        float[] out = new float[SAMPLE_SIZE];
        int taken = 0;
        long remaining = values.length;
        for (int e = 0; e < values.length && taken < SAMPLE_SIZE; e++, remaining--) {
            if (draws.uniform(e) * remaining < SAMPLE_SIZE - taken) {
                out[taken++] = values[e];
            }
        }
        return out;
    }
}
