package dev.evomerge.merge.method;

import dev.evomerge.merge.MergeContext;
import dev.evomerge.merge.MergedTensor;
import dev.evomerge.merge.TensorMergeInput;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The Karcher (Riemannian, Fréchet) mean of the inputs' directions on the unit sphere, scaled by their mean norm.
 * Karcher, "Riemannian center of mass and mollifier smoothing", Comm. Pure Appl. Math. 1977; mergekit cites
 * https://en.wikipedia.org/wiki/Karcher_mean. Matches mergekit's {@code KarcherTask} and
 * {@code karcher_merge_tensors} ({@code merge_methods/karcher.py}).
 *
 * <p>Every input, the base model too if present, has weight 1/N. Inputs with norm at most {@code tol} drop out of
 * the direction (their weights renormalised over the rest). Start from the normalised weighted mean of the unit
 * vectors (or the first unit vector if that is shorter than {@code tol}), then up to {@code max_iter} times:
 * {@code T = Σ aᵢ·(θᵢ/sin θᵢ)·(uᵢ − cos θᵢ·u)} over inputs with {@code θᵢ ≥ tol}; stop when {@code ‖T‖ < tol};
 * else {@code u ← cos‖T‖·u + sin‖T‖·T/‖T‖}, renormalised. The result is {@code (Σ aᵢ‖xᵢ‖)·u} with the original
 * weights. Vectors are float32, updated in mergekit's order; norms and dot products float64 rounded to float;
 * angles {@link StrictMath}. All inputs must have one shape (mergekit's rectification here has no effect).
 *
 * <p>Stateless and thread-safe.
 */
public final class KarcherMerge extends AbstractMergeMethod {

    static final ParameterDefinition MAX_ITER = ParameterDefinition.optional("max_iter", ParameterKind.INTEGER, 10);
    static final ParameterDefinition TOL = ParameterDefinition.optional("tol", ParameterKind.NUMBER, 1e-5);

    public KarcherMerge() {
        super("karcher", "Karcher Mean", "https://en.wikipedia.org/wiki/Karcher_mean", List.of(MAX_ITER, TOL),
                List.of(), BaseModelUse.INPUT,
                Arity.any(Arity.LoneInput.PASSES), ShapeRule.EQUAL);
    }

    @Override
    long extraWorkingBytes(CheckedSpec spec) {
        return 3 * 4 * spec.input(0).shape().numel();
    }

    @Override
    Optional<MergedTensor> merge(CheckedSpec spec, TensorMergeInput input, MergeContext context) {
        int n = spec.size();
        int maxIter = MAX_ITER.intIn(spec.global(), spec.outputName());
        double tol = TOL.valueIn(spec.global(), spec.outputName());
        double alpha = 1.0 / n;
        float[][] x = new float[n][];
        float[] norms = new float[n];
        int[] valid = new int[n];
        int validCount = 0;
        for (int i = 0; i < n; i++) {
            x[i] = input.values(i);
            norms[i] = (float) Reductions.norm(x[i]);
            if (norms[i] > tol) {
                valid[validCount++] = i;
            }
        }
        int len = x[0].length;
        float[] u = new float[len];
        if (validCount == 0) {
            return Optional.of(new MergedTensor(spec.input(0).shape(), u));
        }
        double alphaSum = 0;
        for (int v = 0; v < validCount; v++) {
            alphaSum += alpha;
        }
        float[] a = new float[validCount];
        for (int v = 0; v < validCount; v++) {
            a[v] = (float) (alpha / alphaSum);
        }
        for (int v = 0; v < validCount; v++) {
            float[] xi = x[valid[v]];
            float ni = norms[valid[v]];
            for (int e = 0; e < len; e++) {
                u[e] += a[v] * (xi[e] / ni);
            }
        }
        float normU = (float) Reductions.norm(u);
        if (normU < tol) {
            float[] xi = x[valid[0]];
            float ni = norms[valid[0]];
            for (int e = 0; e < len; e++) {
                u[e] = xi[e] / ni;
            }
        } else {
            divide(u, normU);
        }
        float[] tangent = new float[len];
        float[] unit = new float[len];
        for (int iter = 0; iter < maxIter; iter++) {
            Arrays.fill(tangent, 0f);
            for (int v = 0; v < validCount; v++) {
                float[] xi = x[valid[v]];
                float ni = norms[valid[v]];
                for (int e = 0; e < len; e++) {
                    unit[e] = xi[e] / ni;
                }
                float dot = (float) Math.min(Math.max(Reductions.dot(u, unit), -1.0), 1.0);
                float theta = (float) StrictMath.acos(dot);
                if (theta < tol) {
                    continue;
                }
                float sinTheta = (float) StrictMath.sin(theta);
                float coefficient = a[v] * (theta / sinTheta);
                for (int e = 0; e < len; e++) {
                    tangent[e] += coefficient * (unit[e] - dot * u[e]);
                }
            }
            float normT = (float) Reductions.norm(tangent);
            if (normT < tol) {
                break;
            }
            float cos = (float) StrictMath.cos(normT);
            float sin = (float) StrictMath.sin(normT);
            for (int e = 0; e < len; e++) {
                u[e] = cos * u[e] + sin * (tangent[e] / normT);
            }
            float normAfter = (float) Reductions.norm(u);
            if (normAfter > tol) {
                divide(u, normAfter);
            }
        }
        double scale = 0;
        for (int i = 0; i < n; i++) {
            scale += alpha * norms[i];
        }
        float s = (float) scale;
        for (int e = 0; e < len; e++) {
            u[e] *= s;
        }
        return Optional.of(new MergedTensor(spec.input(0).shape(), u));
    }

    private static void divide(float[] v, float by) {
        for (int e = 0; e < v.length; e++) {
            v[e] /= by;
        }
    }
}
