package dev.evomerge.merge.method;

import dev.evomerge.merge.MergeContext;
import dev.evomerge.merge.MergedTensor;
import dev.evomerge.merge.TensorMergeInput;
import java.util.List;
import java.util.Optional;

/**
 * The two RAM methods' shared shape (mergekit's {@code merge_methods/ram.py}): task vectors against the required
 * base with their activity counts ({@link RamVectors}); where exactly one model changed an element its task vector,
 * times that model's factor, is added to the base; where several did, their average; elements no model changed
 * keep the base value. The methods differ in the factors. "Reinforced Agent Merging", 2026,
 * https://arxiv.org/abs/2601.13572.
 *
 * <p>Task vectors below epsilon are dropped. Float32 element-wise, models in input order; no per-model weights;
 * no shape rectification. Stateless and thread-safe.
 */
abstract class RamMethod extends AbstractMergeMethod {

    static final ParameterDefinition EPSILON = ParameterDefinition.optional("epsilon", ParameterKind.NUMBER, 1e-5);

    RamMethod(String name, String prettyName, List<ParameterDefinition> global) {
        super(name, prettyName, "https://arxiv.org/abs/2601.13572", global, List.of(), BaseModelUse.REQUIRED,
                Arity.any(Arity.LoneInput.BASE_PASSES), ShapeRule.EQUAL);
    }

    /** One activity count per element. */
    @Override
    final long extraWorkingBytes(CheckedSpec spec) {
        return spec.outputShape().numel();
    }

    @Override
    final Optional<MergedTensor> merge(CheckedSpec spec, TensorMergeInput input, MergeContext context) {
        RamVectors ram = RamVectors.of(input, EPSILON.valueIn(spec.global(), spec.outputName()));
        float[] lambda = uniqueFactors(spec, ram);
        float[] base = ram.base;
        for (int e = 0; e < base.length; e++) {
            int count = ram.counts[e];
            float merged = 0f;
            if (count == 1) {
                for (int i = 0; i < ram.tv.length; i++) {
                    if (ram.active(i, e)) {
                        merged += lambda == null ? ram.tv[i][e] : ram.tv[i][e] * lambda[i];
                    }
                }
            } else if (count > 1) {
                for (int i = 0; i < ram.tv.length; i++) {
                    if (ram.active(i, e)) {
                        merged += ram.tv[i][e] / count;
                    }
                }
            }
            base[e] += merged;
        }
        return Optional.of(new MergedTensor(spec.outputShape(), base));
    }

    /** Each model's factor for the elements only it changed, or null where every factor is 1. */
    abstract float[] uniqueFactors(CheckedSpec spec, RamVectors ram);
}
