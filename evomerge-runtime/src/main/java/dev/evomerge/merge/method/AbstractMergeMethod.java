package dev.evomerge.merge.method;

import dev.evomerge.diag.RunException;
import dev.evomerge.merge.MergeContext;
import dev.evomerge.merge.MergedTensor;
import dev.evomerge.merge.TensorMergeInput;
import dev.evomerge.merge.TensorMergeSpec;
import dev.evomerge.tensor.Shape;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The contract every method shares, written once: the descriptive half of a {@link MergeMethod} as fields, and the
 * checks a method declares as data ({@link Arity}, {@link BaseModelUse}, its parameters, its {@link ShapeRule}),
 * run once per call before a method's own code sees a {@link CheckedSpec}. A tensor only one model has passes
 * through here, as the method's {@link Arity.LoneInput} says.
 *
 * <p>Checks run in this order: global parameters; a lone input that passes; whether the tensor is dropped
 * ({@link #producesOutput}); the base model where it is required; the arity; the method's own
 * {@link #checkInputs}; the shape rule.
 *
 * <p>Subclasses are stateless and thread-safe.
 */
abstract class AbstractMergeMethod implements MergeMethod {

    private final String name;
    private final String prettyName;
    private final String referenceUrl;
    private final List<ParameterDefinition> globalParameters;
    private final List<ParameterDefinition> modelParameters;
    private final BaseModelUse baseModelUse;
    private final Arity arity;
    private final ShapeRule shapeRule;

    AbstractMergeMethod(String name, String prettyName, String referenceUrl, List<ParameterDefinition> global,
            List<ParameterDefinition> perModel, BaseModelUse baseModelUse, Arity arity, ShapeRule shapeRule) {
        this.name = Objects.requireNonNull(name);
        this.prettyName = Objects.requireNonNull(prettyName);
        this.referenceUrl = referenceUrl;
        this.globalParameters = List.copyOf(global);
        this.modelParameters = List.copyOf(perModel);
        this.baseModelUse = Objects.requireNonNull(baseModelUse);
        this.arity = Objects.requireNonNull(arity);
        this.shapeRule = Objects.requireNonNull(shapeRule);
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

    /** How many inputs the method merges. */
    final Arity arity() {
        return arity;
    }

    /** How the inputs' shapes must agree. */
    final ShapeRule shapeRule() {
        return shapeRule;
    }

    @Override
    public String toString() {
        return name;
    }

    /**
     * True unless the arity lets an optional weight with too few inputs drop out (model_stock's shortfall). A lone
     * base input that passes through always produces output.
     */
    @Override
    public final boolean producesOutput(TensorMergeSpec spec) {
        return passesThrough(spec) || !arity.optionalShortfallDropped() || !spec.optional()
                || counted(spec) >= arity.min();
    }

    @Override
    public final void check(TensorMergeSpec spec) {
        checked(spec);
    }

    @Override
    public final Shape outputShape(TensorMergeSpec spec) {
        if (!producesOutput(spec)) {
            throw new IllegalStateException(name + " drops " + spec.outputName() + ": it has no output shape");
        }
        return checked(spec).outputShape();
    }

    @Override
    public final long workingBytes(TensorMergeSpec spec) {
        if (passesThrough(spec) || !producesOutput(spec)) {
            return 0;
        }
        CheckedSpec checked = checked(spec);
        return rectificationBytes(checked) + extraWorkingBytes(checked);
    }

    @Override
    public final Optional<MergedTensor> merge(TensorMergeInput input, MergeContext context) {
        TensorMergeSpec spec = input.spec();
        CheckedSpec checked = checked(spec);
        if (passesThrough(spec)) {
            return Optional.of(new MergedTensor(spec.input(0).shape(), input.values(0)));
        }
        if (checked == null) {
            context.events().warn("Optional weight " + spec.outputName() + " not present in enough models,"
                    + " discarding");
            return Optional.empty();
        }
        return merge(checked, input, context);
    }

    @Override
    public final Optional<BlockKernel> blockKernel(TensorMergeSpec spec, MergeContext context) {
        CheckedSpec checked = checked(spec);
        if (checked == null || passesThrough(spec)) {
            return Optional.empty();
        }
        return blockKernel(checked, context);
    }

    /**
     * Per-input checks beyond the declared ones (shapes a method fits itself, values that must agree); they run
     * before each merged model's required per-model parameters are checked.
     */
    void checkInputs(TensorMergeSpec spec) {
    }

    /**
     * {@link MergeMethod#workingBytes} beyond the copies the shape rule's cutting makes, for a checked spec with
     * more than a lone input; 0 unless overridden.
     */
    long extraWorkingBytes(CheckedSpec spec) {
        return 0;
    }

    /** {@link MergeMethod#merge} for a checked spec with more than a lone input that produces output. */
    abstract Optional<MergedTensor> merge(CheckedSpec spec, TensorMergeInput input, MergeContext context);

    /** {@link MergeMethod#blockKernel} for a checked spec with more than a lone input; empty unless overridden. */
    Optional<BlockKernel> blockKernel(CheckedSpec spec, MergeContext context) {
        return Optional.empty();
    }

    /**
     * Runs the declared checks (in the order the class comment gives) and returns the checked spec, or null when
     * the tensor is dropped.
     *
     * @throws RunException naming the tensor and what to change
     */
    private CheckedSpec checked(TensorMergeSpec spec) {
        checkGlobals(spec);
        if (passesThrough(spec)) {
            return new CheckedSpec(spec, spec.input(0).shape());
        }
        if (!producesOutput(spec)) {
            return null;
        }
        if (baseModelUse == BaseModelUse.REQUIRED && !spec.hasBase()) {
            throw new RunException(name + " needs the base model's " + spec.outputName()
                    + ", but there is no base model or it lacks this tensor",
                    "set base_model to the model the others were fine-tuned from");
        }
        if (!arity.allows(counted(spec))) {
            throw arity.error(name, spec.outputName(), spec.size());
        }
        checkInputs(spec);
        checkModelParameters(spec);
        Shape shape = switch (shapeRule) {
            case COMMON_SUBMATRIX -> Operands.requireSameShape(name, spec, Operands.allOf(spec));
            case EQUAL -> {
                TensorMergeSpec uncut = new TensorMergeSpec(spec.outputName(), false, spec.optional(),
                        spec.inputs(), spec.baseIndex(), spec.global());
                yield Operands.requireSameShape(name, uncut, Operands.allOf(spec));
            }
            case BASE -> spec.input(spec.baseIndex()).shape();
        };
        return new CheckedSpec(spec, shape);
    }

    /** Whether a lone input is the result, as the arity declares. */
    private boolean passesThrough(TensorMergeSpec spec) {
        return spec.size() == 1 && switch (arity.lone()) {
            case PASSES -> true;
            case BASE_PASSES -> spec.hasBase();
            case MERGED -> false;
        };
    }

    /** The inputs the arity counts: all where the base is merged like any other, else those besides the base. */
    private int counted(TensorMergeSpec spec) {
        return switch (baseModelUse) {
            case INPUT -> spec.size();
            // a missing base fails its own check; counting as if it were there keeps a shortfall a shortfall
            case REQUIRED -> spec.size() - 1;
            case OPTIONAL -> spec.hasBase() ? spec.size() - 1 : spec.size();
        };
    }

    /**
     * Every required per-model parameter is set for each model the method merges: every input where the base is
     * merged like any other ({@link BaseModelUse#INPUT}), else every input besides the base.
     */
    private void checkModelParameters(TensorMergeSpec spec) {
        for (int i = 0; i < spec.size(); i++) {
            if (i == spec.baseIndex() && baseModelUse != BaseModelUse.INPUT) {
                continue;
            }
            for (ParameterDefinition d : modelParameters) {
                if (d.required()) {
                    d.valueIn(spec.input(i).parameters(), spec.input(i).label());
                }
            }
        }
    }

    /** Every global parameter resolves (required ones are set, switches are 0 or 1, counts are whole). */
    private void checkGlobals(TensorMergeSpec spec) {
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

    /** Bytes of the copies {@link Operands#rectifyEmbeddings} makes for all inputs (0 when it cuts nothing). */
    private static long rectificationBytes(CheckedSpec spec) {
        Shape common = Operands.rectifiedShape(spec.spec(), spec.all());
        return common == null ? 0 : 4L * spec.size() * common.numel();
    }
}
