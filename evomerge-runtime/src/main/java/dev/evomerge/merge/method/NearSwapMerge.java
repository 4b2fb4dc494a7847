package dev.evomerge.merge.method;

import dev.evomerge.merge.MergeContext;
import dev.evomerge.merge.MergedTensor;
import dev.evomerge.merge.TensorMergeInput;
import java.util.List;
import java.util.Optional;

/**
 * NearSwap: takes the other model's value where it is within about {@code t} of the base, and blends toward the
 * base where they differ more: {@code w = clamp(t / max(|base − x|, 1e-6), 0, 1)},
 * {@code out = w·x + (1 − w)·base}. From alchemonaut's QuartetAnemoi merge,
 * https://huggingface.co/alchemonaut/QuartetAnemoi-70B-t0.0001; matches mergekit's {@code nearswap_merge}
 * ({@code merge_methods/nearswap.py}).
 *
 * <p>Needs the base and exactly one other model; float32 element-wise. Stateless and thread-safe.
 */
public final class NearSwapMerge extends AbstractMergeMethod {

    static final ParameterDefinition T = ParameterDefinition.required("t", ParameterKind.NUMBER);

    public NearSwapMerge() {
        super("nearswap", "NearSwap", "https://huggingface.co/alchemonaut/QuartetAnemoi-70B-t0.0001", List.of(T),
                List.of(), BaseModelUse.REQUIRED,
                new Arity(1, 1, Arity.LoneInput.BASE_PASSES, "merges exactly two models, the base and one other",
                        "list one model besides base_model", false), ShapeRule.EQUAL);
    }

    @Override
    Optional<MergedTensor> merge(CheckedSpec spec, TensorMergeInput input, MergeContext context) {
        float[] base = input.values(spec.baseIndex());
        float[] x = input.values(1 - spec.baseIndex());
        float t = (float) T.valueIn(spec.global(), spec.outputName());
        for (int e = 0; e < base.length; e++) {
            float a = base[e];
            float b = x[e];
            float w = t / Math.max(Math.abs(a - b), 1e-6f);
            w = Math.min(Math.max(w, 0f), 1f);
            base[e] = w * b + (1 - w) * a;
        }
        return Optional.of(new MergedTensor(spec.input(0).shape(), base));
    }
}
