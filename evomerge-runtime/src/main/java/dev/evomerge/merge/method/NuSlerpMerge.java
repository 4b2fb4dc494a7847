package dev.evomerge.merge.method;

import dev.evomerge.merge.InputTensor;
import dev.evomerge.merge.MergeContext;
import dev.evomerge.merge.MergedTensor;
import dev.evomerge.merge.TensorMergeInput;
import dev.evomerge.tensor.Shape;
import java.util.List;
import java.util.Optional;

/**
 * NuSLERP: slerp between exactly two models with {@code t = w₂/(w₁+w₂)} (0.5 when {@code |w₁+w₂| < 1e-6}), over
 * the whole tensor or per row or column, and optionally on task vectors against a third, base model. Matches
 * mergekit's {@code NuSlerpTask} and {@code nuslerp} ({@code merge_methods/nuslerp.py}); mergekit gives no
 * reference URL (slerp: Shoemake, SIGGRAPH 1985).
 *
 * <p>Vectors: the whole tensor with {@code nuslerp_flatten} (the default); otherwise vectors run along the last
 * dimension (each row of an {@code [out, in]} matrix), or along dimension 0 (each column) with
 * {@code nuslerp_row_wise}. Each vector pair: norms clamped to at least 1e-7, {@code θ = acos(clamp(cos, −1, 1))},
 * {@code out = (sin((1−t)θ)·v0 + sin(tθ)·v1) / sin θ}, and the lerp where {@code |sin θ| < 1e-8}. Norms and dot
 * products are float64, the angle math {@link StrictMath}, the blend float32 in mergekit's order. With a base:
 * {@code out = base + nuslerp(t, x₁ − base, x₂ − base)}. Embeddings of different sizes are cut to their common
 * submatrix. The result is symmetric in the two models, so their order does not matter.
 *
 * <p>Stateless and thread-safe.
 */
public final class NuSlerpMerge extends AbstractMergeMethod {

    static final ParameterDefinition ROW_WISE =
            ParameterDefinition.optional("nuslerp_row_wise", ParameterKind.BOOLEAN, 0);
    static final ParameterDefinition FLATTEN =
            ParameterDefinition.optional("nuslerp_flatten", ParameterKind.BOOLEAN, 1);
    static final ParameterDefinition WEIGHT = ParameterDefinition.required("weight", ParameterKind.NUMBER);

    private static final double COLINEAR = 1e-8;

    public NuSlerpMerge() {
        super("nuslerp", "NuSLERP", null, List.of(ROW_WISE, FLATTEN), List.of(WEIGHT), BaseModelUse.OPTIONAL,
                new Arity(2, 2, Arity.LoneInput.PASSES, "merges exactly two models besides an optional base model,"
                        + " which cannot be one of the two", "list exactly two models besides base_model", false),
                ShapeRule.COMMON_SUBMATRIX);
    }

    @Override
    Optional<MergedTensor> merge(CheckedSpec spec, TensorMergeInput input, MergeContext context) {
        Operands ops = new Operands(input);
        int[] pair = ops.others();
        InputTensor first = spec.input(pair[0]);
        InputTensor second = spec.input(pair[1]);
        double w1 = WEIGHT.valueIn(first.parameters(), first.label());
        double w2 = WEIGHT.valueIn(second.parameters(), second.label());
        double t = Math.abs(w1 + w2) < 1e-6 ? 0.5 : w2 / (w1 + w2);
        ops.rectifyEmbeddings(ops.all(), context.events());
        float[] v0 = ops.values(pair[0]);
        float[] v1 = ops.values(pair[1]);
        Shape shape = ops.shape(pair[0]);
        float[] base = spec.hasBase() ? ops.values(spec.baseIndex()) : null;
        if (base != null) {
            for (int e = 0; e < v0.length; e++) {
                v0[e] -= base[e];
                v1[e] -= base[e];
            }
        }
        boolean flatten = FLATTEN.flagIn(spec.global(), spec.outputName());
        boolean rowWise = ROW_WISE.flagIn(spec.global(), spec.outputName());
        float[] out = v0;
        if (flatten || shape.rank() <= 1) {
            slerpVectors(t, v0, v1, out, 0, v0.length, 1, 1, 0);
        } else if (!rowWise) {
            int len = Math.toIntExact(shape.dim(shape.rank() - 1));
            slerpVectors(t, v0, v1, out, 0, len, 1, v0.length / len, len);
        } else {
            // Vectors along dimension 0: element k of vector j sits at k * stride + j.
            int len = Math.toIntExact(shape.dim(0));
            int stride = v0.length / len;
            slerpVectors(t, v0, v1, out, 0, len, stride, stride, 1);
        }
        if (base != null) {
            for (int e = 0; e < out.length; e++) {
                out[e] = base[e] + out[e];
            }
        }
        return Optional.of(new MergedTensor(shape, out));
    }

    /**
     * Slerps {@code count} vector pairs of {@code len} elements; vector {@code j} starts at
     * {@code start + j * vectorStep} and its elements are {@code stride} apart.
     */
    private static void slerpVectors(double t, float[] v0, float[] v1, float[] out, int start, int len, int stride,
            int count, int vectorStep) {
        float lerp0 = (float) (1 - t);
        float lerp1 = (float) t;
        for (int j = 0; j < count; j++) {
            int from = start + j * vectorStep;
            double n0 = 0;
            double n1 = 0;
            double dot = 0;
            for (int k = 0, e = from; k < len; k++, e += stride) {
                double a = v0[e];
                double b = v1[e];
                n0 += a * a;
                n1 += b * b;
                dot += a * b;
            }
            double cos = dot / (Math.max(Math.sqrt(n0), 1e-7) * Math.max(Math.sqrt(n1), 1e-7));
            double theta = StrictMath.acos(Math.min(Math.max(cos, -1), 1));
            double sinTheta = StrictMath.sin(theta);
            if (Math.abs(sinTheta) < COLINEAR) {
                for (int k = 0, e = from; k < len; k++, e += stride) {
                    out[e] = lerp0 * v0[e] + lerp1 * v1[e];
                }
            } else {
                float a = (float) StrictMath.sin((1 - t) * theta);
                float b = (float) StrictMath.sin(t * theta);
                float s = (float) sinTheta;
                for (int k = 0, e = from; k < len; k++, e += stride) {
                    out[e] = (a * v0[e] + b * v1[e]) / s;
                }
            }
        }
    }
}
