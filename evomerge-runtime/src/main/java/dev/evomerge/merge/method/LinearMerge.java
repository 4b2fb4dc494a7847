package dev.evomerge.merge.method;

import dev.evomerge.diag.RunException;
import dev.evomerge.merge.InputTensor;
import dev.evomerge.merge.MergeContext;
import dev.evomerge.merge.MergedTensor;
import dev.evomerge.merge.TensorMergeInput;
import dev.evomerge.merge.TensorMergeSpec;
import dev.evomerge.tensor.Shape;
import java.util.List;
import java.util.Optional;

/**
 * Linear merge ("model soups"): the weighted sum {@code Σ wᵢ·xᵢ}, divided by {@code Σ wᵢ} when {@code normalize}
 * (the default). Wortsman et al., "Model soups: averaging weights of multiple fine-tuned models improves accuracy
 * without increasing inference time", ICML 2022, https://arxiv.org/abs/2203.05482. Matches mergekit's
 * {@code LinearMergeTask} ({@code merge_methods/linear.py}).
 *
 * <p>Every input takes part, the base model too (which then needs a weight). Mismatched embeddings are cut to
 * their common top-left submatrix; any other mismatch is an error. There is no guard against {@code Σ wᵢ = 0}.
 * Float32 element-wise, models in input order. Stateless and thread-safe.
 */
public final class LinearMerge extends AbstractMergeMethod {

    static final ParameterDefinition NORMALIZE = ParameterDefinition.optional("normalize", ParameterKind.BOOLEAN, 1);
    static final ParameterDefinition WEIGHT = ParameterDefinition.required("weight", ParameterKind.NUMBER);

    public LinearMerge() {
        super("linear", "Linear", "https://arxiv.org/abs/2203.05482", List.of(NORMALIZE), List.of(WEIGHT),
                BaseModelUse.INPUT, Arity.any(Arity.LoneInput.MERGED), ShapeRule.COMMON_SUBMATRIX);
    }

    @Override
    void checkInputs(TensorMergeSpec spec) {
        if (spec.hasBase()) {
            InputTensor in = spec.input(spec.baseIndex());
            if (WEIGHT.find(in.parameters()).isEmpty()) {
                throw new RunException("linear merges every input, the base model too, and base model "
                        + in.model() + " has no weight for " + in.tensorName(),
                        "list the base model under models: with a weight, or leave base_model out");
            }
        }
    }

    @Override
    Optional<MergedTensor> merge(CheckedSpec spec, TensorMergeInput input, MergeContext context) {
        Operands ops = new Operands(input);
        ops.rectifyEmbeddings(ops.all(), context.events());
        float[] w = weights(spec);
        float[][] x = new float[ops.size()][];
        for (int i = 0; i < x.length; i++) {
            x[i] = ops.values(i);
        }
        float[] out = x[0];
        combine(x, w, NORMALIZE.flagIn(spec.global(), spec.outputName()), out, out.length);
        Shape shape = ops.shape(0);
        return Optional.of(new MergedTensor(shape, out));
    }

    @Override
    Optional<BlockKernel> blockKernel(CheckedSpec spec, MergeContext context) {
        Shape shape = spec.input(0).shape();
        for (int i = 1; i < spec.size(); i++) {
            if (!spec.input(i).shape().equals(shape)) {
                return Optional.empty();
            }
        }
        float[] w = weights(spec);
        boolean normalize = NORMALIZE.flagIn(spec.global(), spec.outputName());
        return Optional.of((inputs, offset, len, out) -> combine(inputs, w, normalize, out, len));
    }

    private static float[] weights(CheckedSpec spec) {
        float[] w = new float[spec.size()];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) WEIGHT.valueIn(spec.input(i).parameters(), spec.input(i).label());
        }
        return w;
    }

    /**
     * {@code out[0, len) = Σ wᵢ·xᵢ} (then divided by Σ wᵢ with {@code normalize}), model by model over the range
     * (each loop indexes its arrays alike, so it vectorises), which is mergekit's float32 order per element:
     * ((w₀x₀ + w₁x₁) + w₂x₂) ..., then the division. {@code out} may be {@code x[0]}.
     */
    private static void combine(float[][] x, float[] w, boolean normalize, float[] out, int len) {
        float[] x0 = x[0];
        float w0 = w[0];
        float weightSum = w0;
        for (int e = 0; e < len; e++) {
            out[e] = x0[e] * w0;
        }
        for (int i = 1; i < x.length; i++) {
            float[] xi = x[i];
            float wi = w[i];
            weightSum += wi;
            for (int e = 0; e < len; e++) {
                out[e] += wi * xi[e];
            }
        }
        if (normalize) {
            for (int e = 0; e < len; e++) {
                out[e] /= weightSum;
            }
        }
    }
}
