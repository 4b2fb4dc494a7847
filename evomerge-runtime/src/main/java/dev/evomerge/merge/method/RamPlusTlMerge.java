package dev.evomerge.merge.method;

import dev.evomerge.merge.MergeContext;
import dev.evomerge.merge.MergedTensor;
import dev.evomerge.merge.TensorMergeInput;
import dev.evomerge.merge.TensorMergeSpec;
import dev.evomerge.tensor.Shape;
import java.util.List;
import java.util.Optional;

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
public final class RamPlusTlMerge extends AbstractMergeMethod {

    static final ParameterDefinition R = ParameterDefinition.optional("r", ParameterKind.NUMBER, 0.1);
    static final ParameterDefinition ALPHA = ParameterDefinition.optional("alpha", ParameterKind.NUMBER, 0.2);
    static final ParameterDefinition EPSILON = ParameterDefinition.optional("epsilon", ParameterKind.NUMBER, 1e-5);

    public RamPlusTlMerge() {
        super("ramplus_tl", "Reinforced Agent Merging Plus (Tensor-Local)", "https://arxiv.org/abs/2601.13572",
                List.of(R, ALPHA, EPSILON), List.of(), BaseModelUse.REQUIRED);
    }

    @Override
    public void check(TensorMergeSpec spec) {
        checkGlobals(spec);
        requireBase(spec);
        requireEqualShapes(spec);
    }

    @Override
    public Shape outputShape(TensorMergeSpec spec) {
        check(spec);
        return spec.input(spec.baseIndex()).shape();
    }

    @Override
    public long workingBytes(TensorMergeSpec spec) {
        return spec.input(spec.baseIndex()).shape().numel();
    }

    @Override
    public Optional<MergedTensor> merge(TensorMergeInput input, MergeContext context) {
        TensorMergeSpec spec = input.spec();
        check(spec);
        if (spec.size() == 1) {
            return Optional.of(new MergedTensor(spec.input(0).shape(), input.values(0)));
        }
        String where = spec.outputName();
        RamVectors ram = RamVectors.of(input, EPSILON.valueIn(spec.global(), where));
        int n = ram.tv.length;
        float[] base = ram.base;
        long[] shared = new long[n];
        long[] unique = new long[n];
        for (int e = 0; e < base.length; e++) {
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
        for (int e = 0; e < base.length; e++) {
            int count = ram.counts[e];
            float merged = 0f;
            if (count == 1) {
                for (int i = 0; i < n; i++) {
                    if (ram.active(i, e)) {
                        merged += ram.tv[i][e] * lambda[i];
                    }
                }
            } else if (count > 1) {
                for (int i = 0; i < n; i++) {
                    if (ram.active(i, e)) {
                        merged += ram.tv[i][e] / count;
                    }
                }
            }
            base[e] += merged;
        }
        return Optional.of(new MergedTensor(spec.input(spec.baseIndex()).shape(), base));
    }
}
