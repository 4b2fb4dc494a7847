package dev.evomerge.merge.method;

import java.util.List;

/**
 * RAM+ (tensor-local): RAM with each model's unique contributions amplified by
 * {@code λᵢ = 1 + r·clamp(ρᵢ, 0, alpha)}, where {@code ρᵢ} is the model's number of shared active elements over
 * its number of unique active elements in this tensor (the unique count clamped to at least epsilon). From
 * "Reinforced Agent Merging", 2026, https://arxiv.org/abs/2601.13572; matches mergekit's {@code ramplus_tl_merge}
 * ({@code merge_methods/ram.py}).
 *
 * <p>Float32 element-wise, models in input order; no per-model weights; no shape rectification. Stateless and
 * thread-safe.
 */
public final class RamPlusTlMerge extends RamMethod {

    static final ParameterDefinition R = ParameterDefinition.optional("r", ParameterKind.NUMBER, 0.1);
    static final ParameterDefinition ALPHA = ParameterDefinition.optional("alpha", ParameterKind.NUMBER, 0.2);

    public RamPlusTlMerge() {
        super("ramplus_tl", "Reinforced Agent Merging Plus (Tensor-Local)", List.of(R, ALPHA, EPSILON));
    }

    /** {@code λᵢ = 1 + r·clamp(ρᵢ, 0, alpha)}. */
    @Override
    float[] uniqueFactors(CheckedSpec spec, RamVectors ram) {
        String where = spec.outputName();
        int n = ram.tv.length;
        long[] shared = new long[n];
        long[] unique = new long[n];
        for (int e = 0; e < ram.base.length; e++) {
            int count = ram.counts[e];
            if (count == 0) {
                continue;
            }
            for (int i = 0; i < n; i++) {
                if (ram.active(i, e)) {
                    if (count == 1) {
                        unique[i]++;
                    } else {
                        shared[i]++;
                    }
                }
            }
        }
        float r = (float) R.valueIn(spec.global(), where);
        float alpha = (float) ALPHA.valueIn(spec.global(), where);
        float[] lambda = new float[n];
        for (int i = 0; i < n; i++) {
            // int64 counts divided as float32, the unique count clamped to at least epsilon (mergekit's order)
            float rho = (float) shared[i] / Math.max((float) unique[i], ram.epsilon);
            lambda[i] = 1 + r * Math.min(Math.max(rho, 0f), alpha);
        }
        return lambda;
    }
}
