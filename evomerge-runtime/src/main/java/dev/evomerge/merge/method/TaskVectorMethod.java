package dev.evomerge.merge.method;

import dev.evomerge.diag.RunException;
import dev.evomerge.merge.InputTensor;
import dev.evomerge.merge.MergeContext;
import dev.evomerge.merge.MergedTensor;
import dev.evomerge.merge.TensorMergeInput;
import dev.evomerge.merge.TensorMergeSpec;
import dev.evomerge.tensor.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The generalized task-arithmetic engine behind task_arithmetic, ties, dare_*, breadcrumbs*, and della*
 * (mergekit's {@code GeneralizedTaskArithmeticMerge} / {@code GTATask}), configured by a {@link Sparsifier} (or
 * none) and whether TIES' sign consensus is applied.
 *
 * <p>Per tensor: task vectors {@code δᵢ = xᵢ − base} (shape rules below), each pruned by the sparsifier at its
 * model's {@code density} and rescaled to its former L1 norm when {@code rescale}; weighted {@code Dᵢ = wᵢ·δᵢ}.
 * With consensus, the majority sign is {@code +1 where Σᵢ Dᵢ >= 0, else −1}, a model takes part in an element only
 * where {@code sign(Dᵢ)} equals it (zeros never do), {@code mixed = Σ Dᵢ·maskᵢ} and the per-element divisor is
 * {@code Σ wᵢ·maskᵢ} (0 replaced by 1). Without consensus {@code mixed = Σ Dᵢ} and the divisor is the scalar
 * {@code Σ wᵢ} (replaced by 1 when its magnitude is below 1e-8). Then {@code mixed /= divisor} if
 * {@code normalize}, {@code mixed *= lambda} if lambda ≠ 1, and the result is {@code base + mixed}. Element-wise
 * steps are float32 in mergekit's order (models in input order); {@code int8_mask} has no numeric effect.
 *
 * <p>Shapes (mergekit's {@code get_task_vectors}): an embedding of another model is cut to the base's
 * {@code [rows, cols]} with a warning (it fails when smaller than the base); another tensor whose shape differs
 * from the base's is skipped with a warning.
 *
 * <p>The computation runs in place in the input arrays (task vectors overwrite the models' arrays, the result the
 * base's), so a tensor needs no memory beyond its inputs and a few 4096-element blocks. Stateless and thread-safe.
 */
abstract class TaskVectorMethod extends AbstractMergeMethod {

    static final ParameterDefinition INT8_MASK = ParameterDefinition.optional("int8_mask", ParameterKind.BOOLEAN, 0);
    static final ParameterDefinition LAMBDA = ParameterDefinition.optional("lambda", ParameterKind.NUMBER, 1.0);
    static final ParameterDefinition WEIGHT = ParameterDefinition.required("weight", ParameterKind.NUMBER);
    static final ParameterDefinition DENSITY = ParameterDefinition.optional("density", ParameterKind.NUMBER, 1.0);

    private static final int BLOCK = 4096;

    /**
     * What sets one task-vector method apart from the others: its names, its pruning, whether TIES' sign election
     * runs, and its defaults.
     *
     * @param name the name in {@code merge_method:}
     * @param prettyName the name for people
     * @param referenceUrl the paper
     * @param sparsifier the pruning of each task vector, or null for none
     * @param signConsensus whether TIES' sign election decides which task vectors take part in each element
     * @param normalizeByDefault {@code normalize}'s default
     * @param rescaleByDefault {@code rescale}'s default
     */
    record Variant(String name, String prettyName, String referenceUrl, Sparsifier sparsifier, boolean signConsensus,
            boolean normalizeByDefault, boolean rescaleByDefault) {

        /** No pruning, no election, neither normalized nor rescaled by default. */
        static Variant of(String name, String prettyName, String referenceUrl) {
            return new Variant(name, prettyName, referenceUrl, null, false, false, false);
        }

        Variant prunedBy(Sparsifier s) {
            return new Variant(name, prettyName, referenceUrl, s, signConsensus, normalizeByDefault,
                    rescaleByDefault);
        }

        Variant withSignConsensus() {
            return new Variant(name, prettyName, referenceUrl, sparsifier, true, normalizeByDefault,
                    rescaleByDefault);
        }

        Variant normalizedByDefault() {
            return new Variant(name, prettyName, referenceUrl, sparsifier, signConsensus, true, rescaleByDefault);
        }

        Variant rescaledByDefault() {
            return new Variant(name, prettyName, referenceUrl, sparsifier, signConsensus, normalizeByDefault, true);
        }
    }

    private final Sparsifier sparsifier;
    private final boolean consensus;
    private final ParameterDefinition normalize;
    private final ParameterDefinition rescale;

    TaskVectorMethod(Variant v) {
        super(v.name(), v.prettyName(), v.referenceUrl(),
                List.of(INT8_MASK, switchDefinition("normalize", v.normalizeByDefault()),
                        switchDefinition("rescale", v.rescaleByDefault()), LAMBDA),
                modelDefinitions(v.sparsifier()), BaseModelUse.REQUIRED, Arity.any(Arity.LoneInput.BASE_PASSES),
                ShapeRule.BASE);
        this.sparsifier = v.sparsifier();
        this.consensus = v.signConsensus();
        this.normalize = switchDefinition("normalize", v.normalizeByDefault());
        this.rescale = switchDefinition("rescale", v.rescaleByDefault());
    }

    private static ParameterDefinition switchDefinition(String name, boolean defaultValue) {
        return ParameterDefinition.optional(name, ParameterKind.BOOLEAN, defaultValue ? 1 : 0);
    }

    private static List<ParameterDefinition> modelDefinitions(Sparsifier sparsifier) {
        List<ParameterDefinition> defs = new ArrayList<>(List.of(WEIGHT, DENSITY));
        if (sparsifier != null) {
            defs.addAll(sparsifier.extraParameters());
        }
        return defs;
    }

    @Override
    public final boolean stochastic() {
        return sparsifier != null && sparsifier.stochastic();
    }

    @Override
    final void checkInputs(TensorMergeSpec spec) {
        Shape baseShape = spec.input(spec.baseIndex()).shape();
        for (int i : Operands.othersOf(spec)) {
            InputTensor in = spec.input(i);
            if (cutToBase(spec, in.shape(), baseShape) == Fit.FAILS) {
                throw new RunException(name() + ": " + in.label() + " has shape " + in.shape()
                        + ", smaller than the base model's " + baseShape,
                        "make the base model the one with the smallest vocabulary, or add a tokenizer section");
            }
            if (sparsifier != null) {
                double density = DENSITY.valueIn(in.parameters(), in.label());
                sparsifier.check(density, extra(in), in.shape().numel(), in.label());
            }
        }
    }

    /** Copies of embeddings cut to the base's size, the combine blocks and the sparsifier's scratch. */
    @Override
    final long extraWorkingBytes(CheckedSpec spec) {
        Shape baseShape = spec.outputShape();
        long bytes = (4L + spec.size()) * 4 * BLOCK;
        for (int i : spec.others()) {
            if (cutToBase(spec.spec(), spec.input(i).shape(), baseShape) == Fit.CUT) {
                bytes += 4 * baseShape.numel();
            }
        }
        if (sparsifier != null) {
            // two radix histograms of 2^16 ints per boundary, or DELLA's packed row, or a block of draws
            long cols = baseShape.rank() < 2 ? baseShape.numel() : baseShape.dim(1);
            bytes += Math.max(3L * 4 * (1 << 16), 8 * cols);
        }
        return bytes;
    }

    /**
     * Fits the other models' tensors to the base's shape (cut or skipped, with a warning), then runs the
     * {@linkplain TaskVectorKernel kernel} over the whole tensor as its one block.
     */
    @Override
    final Optional<MergedTensor> merge(CheckedSpec spec, TensorMergeInput input, MergeContext context) {
        int b = spec.baseIndex();
        Shape baseShape = spec.outputShape();
        float[][] arrays = new float[spec.size()][];
        arrays[b] = input.values(b);
        int[] kept = new int[spec.size() - 1];
        int count = 0;
        for (int i : spec.others()) {
            InputTensor in = spec.input(i);
            float[] x = input.values(i);
            switch (cutToBase(spec.spec(), in.shape(), baseShape)) {
                case SAME -> { }
                case CUT -> {
                    x = Operands.topLeft(x, in.shape(), baseShape);
                    context.events().warn("Using submatrix of " + in.label());
                }
                case SKIP -> {
                    context.events().warn("skipping " + in.label() + " due to size mismatch");
                    continue;
                }
                case FAILS -> throw new IllegalStateException("the check lets no failing shape through");
            }
            arrays[i] = x;
            kept[count++] = i;
        }
        float[] base = arrays[b];
        if (count > 0) {
            TaskVectorKernel kernel = new TaskVectorKernel(this, spec, context, Arrays.copyOf(kept, count),
                    base.length, true);
            kernel.merge(arrays, 0, base.length, base);
        }
        return Optional.of(new MergedTensor(baseShape, base));
    }

    /**
     * The {@linkplain TaskVectorKernel kernel} a block at a time, when every input has the base's shape and each pruning (if
     * any) can take its task vector a block at a time. DARE's coin flips are keyed by element, so a block is pruned
     * alone; with {@code rescale}, a first pass sums each task vector's L1 norm before and after pruning, block by
     * block in the order the whole-tensor pass sums them, and the second pass draws the same flips again. A magnitude
     * pruning (TIES, breadcrumbs) takes one or two passes to find its boundary magnitudes (without {@code rescale},
     * which would need another).
     */
    @Override
    final Optional<BlockKernel> blockKernel(CheckedSpec spec, MergeContext context) {
        Shape baseShape = spec.outputShape();
        long numel = baseShape.numel();
        if (numel > Integer.MAX_VALUE) {
            return Optional.empty();
        }
        for (int i : spec.others()) {
            if (!spec.input(i).shape().equals(baseShape)) {
                return Optional.empty();
            }
        }
        TaskVectorKernel kernel = new TaskVectorKernel(this, spec, context, spec.others(), (int) numel, false);
        return kernel.blockable() ? Optional.of(kernel) : Optional.empty();
    }


    Sparsifier sparsifier() {
        return sparsifier;
    }

    boolean signConsensus() {
        return consensus;
    }

    boolean normalize(CheckedSpec spec) {
        return normalize.flagIn(spec.global(), spec.outputName());
    }

    boolean rescale(CheckedSpec spec) {
        return rescale.flagIn(spec.global(), spec.outputName());
    }

    /** The sparsifier's extra per-model parameter for this input, NaN when it has none. */
    double extra(InputTensor in) {
        List<ParameterDefinition> extras = sparsifier.extraParameters();
        return extras.isEmpty() ? Double.NaN : extras.get(0).valueIn(in.parameters(), in.label());
    }

    /** How another model's tensor fits the base's shape. */
    private enum Fit { SAME, CUT, SKIP, FAILS }

    private static Fit cutToBase(TensorMergeSpec spec, Shape shape, Shape baseShape) {
        if (shape.equals(baseShape)) {
            return Fit.SAME;
        }
        if (!spec.embedding()) {
            return Fit.SKIP;
        }
        boolean fits = shape.rank() == 2 && baseShape.rank() == 2
                && shape.dim(0) >= baseShape.dim(0) && shape.dim(1) >= baseShape.dim(1);
        return fits ? Fit.CUT : Fit.FAILS;
    }
}
