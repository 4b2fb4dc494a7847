package dev.evomerge.merge.method;

import dev.evomerge.merge.MergeContext;
import dev.evomerge.merge.MergedTensor;
import dev.evomerge.merge.TensorMergeInput;
import dev.evomerge.tensor.Shape;
import java.util.List;
import java.util.Optional;

/**
 * Model Stock: moves from the base toward the average of the fine-tuned models by a ratio set by the angle between
 * their offsets from the base. Jang, Yun and Han, "Model Stock: All we need is just a few fine-tuned models",
 * ECCV 2024, https://arxiv.org/abs/2403.19522. Matches mergekit's {@code ModelStockMergeTask}
 * ({@code merge_methods/model_stock.py}).
 *
 * <p>Offsets {@code oᵢ = xᵢ − base}, as one flat vector each, or with {@code filter_wise} one vector per row
 * (along the last dimension; a 1-D tensor is one row). {@code cos} is the mean over pairs {@code i < j} of
 * {@code clamp(oᵢ·oⱼ / max(‖oᵢ‖‖oⱼ‖, 1e-6), −1, 1)}; with N non-base models {@code t = N·cos/(1+(N−1)·cos)} and
 * {@code out = t·mean(xᵢ) + (1−t)·base}. Needs the base and at least two others; with only the base it returns
 * the base, and an optional weight present in too few models is dropped with a warning. Embeddings of different
 * sizes are cut to their common submatrix. Dot products and norms float64 rounded to float, the rest float32 in
 * mergekit's order.
 *
 * <p>Stateless and thread-safe.
 */
public final class ModelStockMerge extends AbstractMergeMethod {

    static final ParameterDefinition FILTER_WISE =
            ParameterDefinition.optional("filter_wise", ParameterKind.BOOLEAN, 0);

    public ModelStockMerge() {
        super("model_stock", "Model Stock", "https://arxiv.org/abs/2403.19522", List.of(FILTER_WISE), List.of(),
                BaseModelUse.REQUIRED,
                new Arity(2, Arity.ANY, Arity.LoneInput.BASE_PASSES,
                        "needs the base model and at least two others", "list at least two models besides base_model",
                        true), ShapeRule.COMMON_SUBMATRIX);
    }

    @Override
    long extraWorkingBytes(CheckedSpec spec) {
        long rows = FILTER_WISE.find(spec.global()).orElse(0) == 1 ? spec.input(0).shape().numel() : 1;
        return 4 * rows;
    }

    @Override
    Optional<MergedTensor> merge(CheckedSpec spec, TensorMergeInput input, MergeContext context) {
        Operands ops = new Operands(input);
        ops.rectifyEmbeddings(ops.all(), context.events());
        int b = spec.baseIndex();
        int[] others = ops.others();
        float[] w0 = ops.values(b);
        Shape shape = ops.shape(b);
        int n = others.length;
        float[][] ws = new float[n][];
        for (int i = 0; i < n; i++) {
            ws[i] = ops.values(others[i]);
        }
        boolean filterWise = FILTER_WISE.flagIn(spec.global(), spec.outputName());
        int len = w0.length;
        int rowLength = filterWise && shape.rank() >= 1 ? Math.toIntExact(shape.dim(shape.rank() - 1)) : len;
        int rows = rowLength == 0 ? 0 : len / rowLength;
        float[] t = new float[rows];
        float[] norms = new float[n];
        for (int r = 0; r < rows; r++) {
            int from = r * rowLength;
            int to = from + rowLength;
            for (int i = 0; i < n; i++) {
                norms[i] = (float) Math.sqrt(offsetDot(ws[i], ws[i], w0, from, to));
            }
            float cosSum = 0f;
            int pairs = 0;
            for (int i = 0; i < n; i++) {
                for (int j = i + 1; j < n; j++) {
                    float normProduct = Math.max(norms[i] * norms[j], 1e-6f);
                    float cos = (float) offsetDot(ws[i], ws[j], w0, from, to) / normProduct;
                    cosSum += Math.min(Math.max(cos, -1f), 1f);
                    pairs++;
                }
            }
            float cos = cosSum / pairs;
            t[r] = (n * cos) / (1 + (n - 1) * cos);
        }
        for (int r = 0; r < rows; r++) {
            float tr = t[r];
            float oneMinusT = 1 - tr;
            for (int e = r * rowLength, end = e + rowLength; e < end; e++) {
                float sum = 0f;
                for (int i = 0; i < n; i++) {
                    sum += ws[i][e];
                }
                float avg = sum / n;
                w0[e] = tr * avg + oneMinusT * w0[e];
            }
        }
        return Optional.of(new MergedTensor(shape, w0));
    }

    /** Σ (a − base)·(b − base) over {@code [from, to)}, offsets rounded to float as mergekit stores them. */
    private static double offsetDot(float[] a, float[] b, float[] base, int from, int to) {
        double s0 = 0;
        double s1 = 0;
        int e = from;
        for (; e + 1 < to; e += 2) {
            s0 += (double) (a[e] - base[e]) * (b[e] - base[e]);
            s1 += (double) (a[e + 1] - base[e + 1]) * (b[e + 1] - base[e + 1]);
        }
        for (; e < to; e++) {
            s0 += (double) (a[e] - base[e]) * (b[e] - base[e]);
        }
        return s0 + s1;
    }
}
