package dev.evomerge.merge.method;

import dev.evomerge.merge.MergeContext;
import dev.evomerge.merge.MergedTensor;
import dev.evomerge.merge.TensorMergeInput;
import dev.evomerge.merge.TensorMergeSpec;
import dev.evomerge.tensor.Shape;
import java.util.List;
import java.util.Optional;

/**
 * A merge method: its name as written in {@code merge_method:}, its parameters as data, where it comes from, and
 * a kernel that merges one output tensor at a time (mergekit's {@code MergeMethod} plus its task's
 * {@code execute}).
 *
 * <p>The streaming executor calls {@link #merge} once per output tensor, from several threads at once for
 * different tensors; a call sees only that tensor's inputs, so peak memory follows the largest tensor, not the
 * model. Arithmetic is float32 with float64 reductions (norms, sums over a tensor) in a fixed order, and
 * transcendental functions come from {@link StrictMath}, so results are the same bytes on every machine and thread
 * count. Stochastic methods draw only from {@link MergeContext#random()}.
 *
 * {@snippet :
 * MergeMethod ties = MergeMethods.get("ties");
 * ties.check(spec);                          // at plan time: counts, base, parameter ranges
 * Optional<MergedTensor> out = ties.merge(new TensorMergeInput(spec, arrays), context);
 * }
 *
 * <p>Implementations are stateless, immutable and thread-safe.
 */
public interface MergeMethod {

    /** The name used in {@code merge_method:}, for example {@code dare_ties}. */
    String name();

    /** The name for people, as mergekit's model card writes it, for example {@code DARE TIES}. */
    String prettyName();

    /** The paper or page that defines the method, when there is one (the model card links it). */
    Optional<String> referenceUrl();

    /** Method-wide parameters, evaluated against the output tensor name. */
    List<ParameterDefinition> globalParameters();

    /** Per-model parameters, evaluated against each model's input tensor name. */
    List<ParameterDefinition> modelParameters();

    /** What the method does with {@code base_model}. */
    BaseModelUse baseModelUse();

    /**
     * Whether the result depends on {@link MergeContext#random()}: DARE and DELLA, and arcee_fusion on tensors of
     * more than a million elements (it samples them for its quantiles).
     */
    default boolean stochastic() {
        return false;
    }

    /**
     * Checks what can be checked before the data is read: the number of inputs, the base model, shapes, and
     * parameter values and ranges, as the method declares them. {@link #outputShape}, {@link #workingBytes},
     * {@link #merge} and {@link #blockKernel} run the same check once before the method's own code.
     *
     * @throws dev.evomerge.diag.RunException naming the tensor and what to change
     */
    void check(TensorMergeSpec spec);

    /**
     * Whether {@link #merge} returns a tensor for this spec: false only where it would return empty (model_stock's
     * optional weight present in too few models). Decided from the spec alone, at plan time.
     */
    default boolean producesOutput(TensorMergeSpec spec) {
        return true;
    }

    /**
     * The shape {@link #merge} returns for this spec, from the input shapes alone (after the §2.0 shape rules:
     * embeddings cut to a common submatrix or to the base's size), so the writer can lay out every shard before any
     * data is read.
     *
     * @throws dev.evomerge.diag.RunException for the faults {@link #check} reports
     * @throws IllegalStateException when {@link #producesOutput} is false for this spec
     */
    Shape outputShape(TensorMergeSpec spec);

    /**
     * Bytes the kernel may allocate for this spec beyond its input arrays (scratch arrays, copies of rectified
     * embeddings, the output when it is not written in place), at most. Input arrays plus this bound the memory a
     * call holds, for the executor's memory budget.
     */
    long workingBytes(TensorMergeSpec spec);

    /**
     * Merges one output tensor. The input arrays are handed over: the method may overwrite them or return one of
     * them.
     *
     * @return the merged tensor, of {@link #outputShape}; empty exactly when {@link #producesOutput} is false (an
     *     {@linkplain TensorMergeSpec#optional() optional} weight present in too few models, as mergekit's
     *     model_stock drops it)
     * @throws dev.evomerge.diag.RunException for the faults {@link #check} reports, and for faults that show only in
     *     the data
     */
    Optional<MergedTensor> merge(TensorMergeInput input, MergeContext context);

    /**
     * The block-at-a-time form of {@link #merge} for this tensor, when the method has one and the tensor allows it
     * (every input of the output's shape, no pruning that needs the whole tensor at once); else empty, and the
     * executor calls {@link #merge}.
     *
     * @throws dev.evomerge.diag.RunException for the faults {@link #check} reports
     */
    default Optional<BlockKernel> blockKernel(TensorMergeSpec spec, MergeContext context) {
        return Optional.empty();
    }
}
