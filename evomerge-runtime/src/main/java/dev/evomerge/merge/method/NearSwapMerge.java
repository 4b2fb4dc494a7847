package dev.evomerge.merge.method;

import dev.evomerge.diag.RunException;
import dev.evomerge.merge.MergeContext;
import dev.evomerge.merge.MergedTensor;
import dev.evomerge.merge.TensorMergeInput;
import dev.evomerge.merge.TensorMergeSpec;
import dev.evomerge.tensor.Shape;
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
                List.of(), BaseModelUse.REQUIRED);
    }

    @Override
    public void check(TensorMergeSpec spec) {
        checkGlobals(spec);
        requireBase(spec);
        if (spec.size() > 2) {
            throw new RunException("nearswap merges exactly two models, the base and one other; "
                    + spec.outputName() + " has " + spec.size() + " inputs",
                    "list one model besides base_model");
        }
        requireEqualShapes(spec);
    }

    @Override
    public Shape outputShape(TensorMergeSpec spec) {
        check(spec);
        return spec.input(spec.baseIndex()).shape();
    }

    @Override
    public long workingBytes(TensorMergeSpec spec) {
        return 0;
    }

    @Override
    public Optional<MergedTensor> merge(TensorMergeInput input, MergeContext context) {
        TensorMergeSpec spec = input.spec();
        check(spec);
        float[] base = input.values(spec.baseIndex());
        if (spec.size() == 1) {
            return Optional.of(new MergedTensor(spec.input(0).shape(), base));
        }
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
