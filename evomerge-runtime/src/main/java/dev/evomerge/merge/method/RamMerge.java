package dev.evomerge.merge.method;

import dev.evomerge.merge.MergeContext;
import dev.evomerge.merge.MergedTensor;
import dev.evomerge.merge.TensorMergeInput;
import dev.evomerge.merge.TensorMergeSpec;
import dev.evomerge.tensor.Shape;
import java.util.List;
import java.util.Optional;

/**
 * RAM (Reinforced Agent Merging): where exactly one model changed an element (|τ| > epsilon) its task vector is
 * taken as is; where several did, their average; elements no model changed keep the base value. From
 * "Reinforced Agent Merging", 2026, https://arxiv.org/abs/2601.13572; matches mergekit's {@code ram_merge}
 * ({@code merge_methods/ram.py}).
 *
 * <p>Task vectors below epsilon are dropped. Float32 element-wise, models in input order; no per-model weights;
 * no shape rectification. Stateless and thread-safe.
 */
public final class RamMerge extends AbstractMergeMethod {

    static final ParameterDefinition EPSILON = ParameterDefinition.optional("epsilon", ParameterKind.NUMBER, 1e-5);

    public RamMerge() {
        super("ram", "Reinforced Agent Merging", "https://arxiv.org/abs/2601.13572", List.of(EPSILON), List.of(),
                BaseModelUse.REQUIRED);
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
        RamVectors ram = RamVectors.of(input, EPSILON.valueIn(spec.global(), spec.outputName()));
        float[] base = ram.base;
        for (int e = 0; e < base.length; e++) {
            int count = ram.counts[e];
            float merged = 0f;
            if (count == 1) {
                for (int i = 0; i < ram.tv.length; i++) {
                    if (ram.active(i, e)) {
                        merged += ram.tv[i][e];
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
        return Optional.of(new MergedTensor(spec.input(spec.baseIndex()).shape(), base));
    }
}
