package dev.evomerge.merge.method;

import dev.evomerge.diag.RunException;
import dev.evomerge.merge.TensorMergeSpec;
import dev.evomerge.tensor.Shape;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The descriptive half of a {@link MergeMethod} as fields, plus checks several methods share. Subclasses are
 * stateless and thread-safe.
 */
abstract class AbstractMergeMethod implements MergeMethod {

    private final String name;
    private final String prettyName;
    private final String referenceUrl;
    private final List<ParameterDefinition> globalParameters;
    private final List<ParameterDefinition> modelParameters;
    private final BaseModelUse baseModelUse;

    AbstractMergeMethod(String name, String prettyName, String referenceUrl, List<ParameterDefinition> global,
            List<ParameterDefinition> perModel, BaseModelUse baseModelUse) {
        this.name = Objects.requireNonNull(name);
        this.prettyName = Objects.requireNonNull(prettyName);
        this.referenceUrl = referenceUrl;
        this.globalParameters = List.copyOf(global);
        this.modelParameters = List.copyOf(perModel);
        this.baseModelUse = Objects.requireNonNull(baseModelUse);
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final String prettyName() {
        return prettyName;
    }

    @Override
    public final Optional<String> referenceUrl() {
        return Optional.ofNullable(referenceUrl);
    }

    @Override
    public final List<ParameterDefinition> globalParameters() {
        return globalParameters;
    }

    @Override
    public final List<ParameterDefinition> modelParameters() {
        return modelParameters;
    }

    @Override
    public final BaseModelUse baseModelUse() {
        return baseModelUse;
    }

    @Override
    public String toString() {
        return name;
    }

    /** Every global parameter resolves (required ones are set, switches are 0 or 1, counts are whole). */
    final void checkGlobals(TensorMergeSpec spec) {
        for (ParameterDefinition d : globalParameters) {
            switch (d.kind()) {
                case BOOLEAN -> {
                    if (d.find(spec.global()).isPresent()) {
                        d.flagIn(spec.global(), spec.outputName());
                    }
                }
                case INTEGER -> d.intIn(spec.global(), spec.outputName());
                case NUMBER -> {
                    if (d.required()) {
                        d.valueIn(spec.global(), spec.outputName());
                    }
                }
            }
        }
    }

    /** The spec has a base model input, else the error mergekit gives when the base tensor is missing. */
    final void requireBase(TensorMergeSpec spec) {
        if (!spec.hasBase()) {
            throw new RunException(name + " needs the base model's " + spec.outputName()
                    + ", but there is no base model or it lacks this tensor",
                    "set base_model to the model the others were fine-tuned from");
        }
    }

    /** Bytes of the copies {@link Operands#rectifyEmbeddings} makes for these inputs (0 when it cuts nothing). */
    static long rectificationBytes(TensorMergeSpec spec, int[] which) {
        Shape common = Operands.rectifiedShape(spec, which);
        return common == null ? 0 : 4L * which.length * common.numel();
    }

    /** All inputs have one shape (no embedding rectification), else a size-mismatch error. */
    final void requireEqualShapes(TensorMergeSpec spec) {
        int[] all = new int[spec.size()];
        for (int i = 0; i < all.length; i++) {
            all[i] = i;
        }
        TensorMergeSpec unrectified = new TensorMergeSpec(spec.outputName(), false, spec.optional(), spec.inputs(),
                spec.baseIndex(), spec.global());
        Operands.requireSameShape(name, unrectified, all);
    }
}
