package dev.evomerge.merge.method;

import dev.evomerge.merge.InputTensor;
import dev.evomerge.merge.MergeContext;
import dev.evomerge.merge.MergedTensor;
import dev.evomerge.merge.TensorMergeInput;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Passthrough: copies its single input, multiplied by the optional per-model {@code scale}. Used to assemble
 * models from layer slices ("frankenmerges", layer stacking); a scale with filters such as
 * {@code [{filter: o_proj, value: 0}, {value: 1}]} zeroes chosen weights. Matches mergekit's
 * {@code PassthroughMergeTask} ({@code merge_methods/passthrough.py}); mergekit gives no reference URL.
 *
 * <p>Stateless and thread-safe.
 */
public final class PassthroughMerge extends AbstractMergeMethod {

    static final ParameterDefinition SCALE = ParameterDefinition.optionalWithoutDefault("scale", ParameterKind.NUMBER);

    public PassthroughMerge() {
        super("passthrough", "Passthrough", null, List.of(), List.of(SCALE), BaseModelUse.INPUT,
                new Arity(1, 1, Arity.LoneInput.MERGED, "takes exactly one tensor",
                        "give each slice a single source, and no base_model", false),
                ShapeRule.EQUAL);
    }

    @Override
    Optional<MergedTensor> merge(CheckedSpec spec, TensorMergeInput input, MergeContext context) {
        InputTensor in = spec.input(0);
        float[] x = input.values(0);
        OptionalDouble scale = SCALE.find(in.parameters());
        if (scale.isPresent()) {
            float s = (float) scale.getAsDouble();
            for (int e = 0; e < x.length; e++) {
                x[e] *= s;
            }
        }
        return Optional.of(new MergedTensor(in.shape(), x));
    }
}
