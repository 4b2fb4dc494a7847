package dev.evomerge.merge.method;

import dev.evomerge.merge.MergeContext;
import dev.evomerge.merge.MergedTensor;
import dev.evomerge.merge.TensorMergeInput;
import java.util.List;
import java.util.Optional;

/**
 * SCE (select, calculate, erase): keeps the elements where the task vectors vary most across models, weights each
 * model by the mean square of its task vector, and averages under TIES' sign consensus. Wan et al., "FuseChat:
 * Knowledge Fusion of Chat Models", 2024, https://arxiv.org/abs/2408.07990. Matches mergekit's {@code sce_merge}
 * ({@code merge_methods/sce.py}).
 *
 * <p>{@code τᵢ = xᵢ − base}. If {@code select_topk < 1}: the population variance across models per element, and
 * only the {@code int(count_nonzero(var)·select_topk)} elements of largest variance stay in every τᵢ (a linear-time
 * selection; ties as in {@link RankSelection}). Weights {@code wᵢ = mean(τᵢ²)}, divided by their sum (uniform when
 * the sum is below 1e-6). Mask: {@code sign(τᵢ)} equals the sign of {@code Σᵢ τᵢ} (ties +1).
 * {@code out = base + Σ τᵢ·wᵢ·maskᵢ / max(Σ wᵢ·maskᵢ, 1e-6)}. No per-model weights; {@code int8_mask} has no
 * numeric effect; no shape rectification.
 *
 * <p>Stateless and thread-safe.
 */
public final class SceMerge extends AbstractMergeMethod {

    static final ParameterDefinition INT8_MASK = ParameterDefinition.optional("int8_mask", ParameterKind.BOOLEAN, 0);
    static final ParameterDefinition SELECT_TOPK = ParameterDefinition.optional("select_topk", ParameterKind.NUMBER, 1);

    public SceMerge() {
        super("sce", "SCE", "https://arxiv.org/abs/2408.07990", List.of(INT8_MASK, SELECT_TOPK), List.of(),
                BaseModelUse.REQUIRED,
                Arity.any(Arity.LoneInput.BASE_PASSES), ShapeRule.EQUAL);
    }

    @Override
    long extraWorkingBytes(CheckedSpec spec) {
        boolean select = SELECT_TOPK.find(spec.global()).orElse(1) < 1;
        return select ? 4 * spec.input(spec.baseIndex()).shape().numel() + (3L << 18) : 0;
    }

    @Override
    Optional<MergedTensor> merge(CheckedSpec spec, TensorMergeInput input, MergeContext context) {
        float[] base = input.values(spec.baseIndex());
        int[] others = spec.others();
        int n = others.length;
        int len = base.length;
        float[][] tv = new float[n][];
        for (int i = 0; i < n; i++) {
            tv[i] = input.values(others[i]);
            for (int e = 0; e < len; e++) {
                tv[i][e] -= base[e];
            }
        }
        double topk = SELECT_TOPK.valueIn(spec.global(), spec.outputName());
        if (topk < 1) {
            selectTopVariance(tv, topk);
        }
        float[] w = weights(tv);
        for (int e = 0; e < len; e++) {
            float vote = 0f;
            for (int i = 0; i < n; i++) {
                vote += tv[i][e];
            }
            boolean positive = vote >= 0f;
            float merged = 0f;
            float weightSum = 0f;
            for (int i = 0; i < n; i++) {
                float v = tv[i][e];
                float erased = (positive ? v > 0f : v < 0f) ? w[i] : 0f;
                merged += v * erased;
                weightSum += erased;
            }
            base[e] += merged / Math.max(weightSum, 1e-6f);
        }
        return Optional.of(new MergedTensor(spec.input(spec.baseIndex()).shape(), base));
    }

    /** Zeroes, in every task vector, the elements outside the top {@code density} share of variance. */
    private static void selectTopVariance(float[][] tv, double density) {
        int n = tv.length;
        int len = tv[0].length;
        if (density <= 0) {
            for (float[] t : tv) {
                java.util.Arrays.fill(t, 0f);
            }
            return;
        }
        float[] variance = new float[len];
        long nonzero = 0;
        for (int e = 0; e < len; e++) {
            double mean = 0;
            for (int i = 0; i < n; i++) {
                mean += tv[i][e];
            }
            mean /= n;
            double var = 0;
            for (int i = 0; i < n; i++) {
                double d = tv[i][e] - mean;
                var += d * d;
            }
            variance[e] = (float) (var / n);
            if (variance[e] != 0f) {
                nonzero++;
            }
        }
        // mergekit: int(count_nonzero(var) * density), a float32 product (int64 tensor times a Python float)
        long k = (long) ((float) nonzero * (float) density);
        RankSelection.keepRankRange(variance, len - k, len);
        for (int e = 0; e < len; e++) {
            if (variance[e] == 0f) {
                for (float[] t : tv) {
                    t[e] = 0f;
                }
            }
        }
    }

    /** {@code mean(τᵢ²)} per model, divided by their sum; uniform when the sum is below 1e-6. */
    private static float[] weights(float[][] tv) {
        int n = tv.length;
        float[] w = new float[n];
        float sum = 0f;
        for (int i = 0; i < n; i++) {
            w[i] = (float) (Reductions.sumSquares(tv[i], 0, tv[i].length) / tv[i].length);
            sum += w[i];
        }
        for (int i = 0; i < n; i++) {
            w[i] = Math.abs(sum) < 1e-6 ? 1f / n : w[i] / sum;
        }
        return w;
    }
}
