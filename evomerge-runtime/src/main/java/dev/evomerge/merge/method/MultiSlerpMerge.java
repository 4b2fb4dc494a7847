package dev.evomerge.merge.method;

import dev.evomerge.diag.RunException;
import dev.evomerge.merge.InputTensor;
import dev.evomerge.merge.MergeContext;
import dev.evomerge.merge.MergedTensor;
import dev.evomerge.merge.TensorMergeInput;
import java.util.List;
import java.util.Optional;

/**
 * Multi-SLERP: barycentric interpolation of any number of models on the hypersphere, through the tangent space at
 * their weighted mean direction. Goddard, "Multi-SLERP", https://goddard.blog/posts/multislerp-wow-what-a-cool-idea;
 * matches mergekit's {@code multislerp} ({@code merge_methods/multislerp.py}).
 *
 * <p>With an optional base, its tensor is subtracted first and added back last. Weights are divided by their sum
 * when {@code normalize_weights} (the default). Each flattened input {@code xᵢ} becomes {@code uᵢ = xᵢ/(‖xᵢ‖+eps)};
 * {@code m = Σ wᵢuᵢ}; if {@code ‖m‖ < eps} two inputs fall back to {@code Σ wᵢxᵢ} and more are an error; else
 * {@code m /= ‖m‖}, tangents {@code τᵢ = uᵢ − (uᵢ·m)·m}, {@code τ = Σ wᵢτᵢ}, {@code n = ‖τ‖ + eps},
 * {@code r = m·cos n + τ·(sin n / n)}, scaled by {@code Σ wᵢ‖xᵢ‖}. Float32 element-wise in mergekit's order,
 * norms and dot products float64 rounded to float, {@link StrictMath} for cos and sin. A single input other than
 * the base is returned unchanged. No shape rectification.
 *
 * <p>Stateless and thread-safe.
 */
public final class MultiSlerpMerge extends AbstractMergeMethod {

    static final ParameterDefinition NORMALIZE_WEIGHTS =
            ParameterDefinition.optional("normalize_weights", ParameterKind.BOOLEAN, 1);
    static final ParameterDefinition EPS = ParameterDefinition.optional("eps", ParameterKind.NUMBER, 1e-8);
    static final ParameterDefinition WEIGHT = ParameterDefinition.required("weight", ParameterKind.NUMBER);

    public MultiSlerpMerge() {
        super("multislerp", "Multi-SLERP", "https://goddard.blog/posts/multislerp-wow-what-a-cool-idea",
                List.of(NORMALIZE_WEIGHTS, EPS), List.of(WEIGHT), BaseModelUse.OPTIONAL,
                new Arity(1, Arity.ANY, Arity.LoneInput.MERGED,
                        "interpolates at least one model besides the base", "merge models that have this tensor",
                        false), ShapeRule.EQUAL);
    }

    @Override
    long extraWorkingBytes(CheckedSpec spec) {
        long numel = spec.input(0).shape().numel();
        return spec.others().length == 1 ? 0 : 4 * numel + 4 * Math.min(numel, 4096);
    }

    @Override
    Optional<MergedTensor> merge(CheckedSpec spec, TensorMergeInput input, MergeContext context) {
        int[] others = spec.others();
        if (others.length == 1) {
            return Optional.of(new MergedTensor(spec.input(others[0]).shape(), input.values(others[0])));
        }
        int n = others.length;
        float[][] x = new float[n][];
        float[] w = new float[n];
        for (int i = 0; i < n; i++) {
            InputTensor in = spec.input(others[i]);
            x[i] = input.values(others[i]);
            w[i] = (float) WEIGHT.valueIn(in.parameters(), in.label());
        }
        float[] base = spec.hasBase() ? input.values(spec.baseIndex()) : null;
        int len = x[0].length;
        if (base != null) {
            for (float[] xi : x) {
                for (int e = 0; e < len; e++) {
                    xi[e] -= base[e];
                }
            }
        }
        if (NORMALIZE_WEIGHTS.flagIn(spec.global(), spec.outputName())) {
            float sum = 0f;
            for (float wi : w) {
                sum += wi;
            }
            for (int i = 0; i < n; i++) {
                w[i] /= sum;
            }
        }
        float eps = (float) EPS.valueIn(spec.global(), spec.outputName());
        float[] norms = new float[n];
        float[] denom = new float[n];
        for (int i = 0; i < n; i++) {
            norms[i] = (float) Reductions.norm(x[i]);
            denom[i] = norms[i] + eps;
        }
        float[] mean = new float[len];
        for (int e = 0; e < len; e++) {
            float s = 0f;
            for (int i = 0; i < n; i++) {
                s += x[i][e] / denom[i] * w[i];
            }
            mean[e] = s;
        }
        float meanNorm = (float) Reductions.norm(mean);
        if (meanNorm < eps) {
            if (n != 2) {
                throw new RunException("multislerp: the weighted sum of the unit inputs of " + spec.outputName()
                        + " is zero (antipodal inputs whose weights balance out)",
                        "use different weights for these models");
            }
            float[] out = x[0];
            for (int e = 0; e < len; e++) {
                float r = x[0][e] * w[0] + x[1][e] * w[1];
                out[e] = base != null ? r + base[e] : r;
            }
            return Optional.of(new MergedTensor(spec.input(others[0]).shape(), out));
        }
        for (int e = 0; e < len; e++) {
            mean[e] /= meanNorm;
        }
        float[] dots = new float[n];
        float[] unit = new float[Math.min(len, 4096)];
        for (int i = 0; i < n; i++) {
            double d = 0;
            for (int from = 0; from < len; from += unit.length) {
                int count = Math.min(unit.length, len - from);
                for (int k = 0; k < count; k++) {
                    unit[k] = x[i][from + k] / denom[i];
                }
                d += dotBlock(unit, mean, from, count);
            }
            dots[i] = (float) d;
        }
        // The tangent result overwrites the first input; the others are read as unit vectors on the fly.
        float[] tangent = x[0];
        for (int e = 0; e < len; e++) {
            float m = mean[e];
            float s = 0f;
            for (int i = 0; i < n; i++) {
                float u = x[i][e] / denom[i];
                s += (u - dots[i] * m) * w[i];
            }
            tangent[e] = s;
        }
        float tangentNorm = (float) Reductions.norm(tangent) + eps;
        float cos = (float) StrictMath.cos(tangentNorm);
        float sinOverNorm = (float) StrictMath.sin(tangentNorm) / tangentNorm;
        float avgNorm = 0f;
        for (int i = 0; i < n; i++) {
            avgNorm += norms[i] * w[i];
        }
        float[] out = mean;
        for (int e = 0; e < len; e++) {
            float r = (mean[e] * cos + tangent[e] * sinOverNorm) * avgNorm;
            out[e] = base != null ? r + base[e] : r;
        }
        return Optional.of(new MergedTensor(spec.input(others[0]).shape(), out));
    }

    /** Σ unit[k]·mean[from+k] in the fixed order of {@link Reductions#dot}. */
    private static double dotBlock(float[] unit, float[] mean, int from, int count) {
        double s = 0;
        for (int k = 0; k < count; k++) {
            s += (double) unit[k] * mean[from + k];
        }
        return s;
    }
}
