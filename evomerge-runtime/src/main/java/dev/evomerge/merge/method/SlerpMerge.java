package dev.evomerge.merge.method;

import dev.evomerge.merge.MergeContext;
import dev.evomerge.merge.MergedTensor;
import dev.evomerge.merge.TensorMergeInput;
import java.util.List;
import java.util.Optional;

/**
 * Spherical linear interpolation between the base model ({@code t = 0}) and one other model ({@code t = 1}),
 * treating each tensor as one vector. Shoemake, "Animating rotation with quaternion curves", SIGGRAPH 1985;
 * mergekit cites https://en.wikipedia.org/wiki/Slerp. Matches mergekit's {@code SlerpTask} and {@code slerp}
 * ({@code merge_methods/slerp.py}).
 *
 * <p>With {@code v0} the base and {@code v1} the other: the cosine of their angle is taken on the vectors each
 * divided by its norm (only when that norm exceeds 1e-8). If its magnitude exceeds 0.9995 the result is the lerp
 * {@code (1−t)·v0 + t·v1}; otherwise {@code θ = acos(dot)} and
 * {@code out = sin((1−t)θ)/sin θ · v0 + sin(tθ)/sin θ · v1} on the original vectors. Norms and the dot product
 * are float64 over the whole tensor, the angle math is {@link StrictMath}, and the final blend is float32 with
 * the coefficients rounded to float, as mergekit's float32 NumPy code does. A tensor only one model has is passed
 * through; embeddings of different vocabulary sizes are cut to their common submatrix.
 *
 * <p>Stateless and thread-safe.
 */
public final class SlerpMerge extends AbstractMergeMethod {

    static final ParameterDefinition T = ParameterDefinition.required("t", ParameterKind.NUMBER);

    private static final double DOT_THRESHOLD = 0.9995;
    private static final double EPS = 1e-8;

    public SlerpMerge() {
        super("slerp", "SLERP", "https://en.wikipedia.org/wiki/Slerp", List.of(T), List.of(), BaseModelUse.REQUIRED,
                new Arity(1, 1, Arity.LoneInput.PASSES, "merges exactly two models, the base and one other",
                        "list the base model and one other model", false), ShapeRule.COMMON_SUBMATRIX);
    }

    @Override
    Optional<MergedTensor> merge(CheckedSpec spec, TensorMergeInput input, MergeContext context) {
        Operands ops = Operands.baseAndOther(input, context.events());
        float[] v0 = ops.values(ops.base());
        float[] v1 = ops.values(ops.other());
        double t = T.valueIn(spec.global(), spec.outputName());
        float[] out = v0;
        slerpInto(t, v0, v1, out);
        return Optional.of(new MergedTensor(ops.shape(ops.base()), out));
    }

    /** {@code out = slerp(t, v0, v1)}; {@code out} may be {@code v0} or {@code v1}. */
    static void slerpInto(double t, float[] v0, float[] v1, float[] out) {
        double n0 = Reductions.norm(v0);
        double n1 = Reductions.norm(v1);
        double dot = Reductions.dot(v0, v1);
        if (n0 > EPS) {
            dot /= n0;
        }
        if (n1 > EPS) {
            dot /= n1;
        }
        float c0;
        float c1;
        if (Math.abs(dot) > DOT_THRESHOLD) {
            c0 = (float) (1 - t);
            c1 = (float) t;
        } else {
            double theta0 = StrictMath.acos(dot);
            double sinTheta0 = StrictMath.sin(theta0);
            double thetaT = theta0 * t;
            c0 = (float) (StrictMath.sin(theta0 - thetaT) / sinTheta0);
            c1 = (float) (StrictMath.sin(thetaT) / sinTheta0);
        }
        for (int e = 0; e < out.length; e++) {
            out[e] = c0 * v0[e] + c1 * v1[e];
        }
    }
}
