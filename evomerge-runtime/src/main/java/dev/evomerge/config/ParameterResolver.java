package dev.evomerge.config;

import dev.evomerge.diag.Requires;
import dev.evomerge.diag.SourceLocation;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Looks up merge parameters with mergekit's precedence ({@code ConfigReader.parameter}); the first level whose
 * setting gives a value wins:
 * <ol>
 *   <li>per-model parameters only: the parameters of the slice's sources whose model is the one asked about
 *       (with {@code models:}, that model's entry);</li>
 *   <li>the output slice's {@code parameters};</li>
 *   <li>the {@code modules:} entry's {@code parameters};</li>
 *   <li>the top-level {@code parameters}.</li>
 * </ol>
 * A conditional setting whose filters all miss gives nothing at its level, so the lookup goes on. Nothing found is
 * "absent": defaults and required checks belong to the merge method's parameter definitions.
 *
 * <p>Filters are tested against the <em>output</em> tensor name for global (method-wide) parameters, and against
 * <em>that model's input</em> tensor name for per-model parameters (they differ when layers are restacked).
 *
 * <p>Immutable and thread-safe.
 */
public final class ParameterResolver {

    private final Parameters topLevel;
    private final Parameters module;

    /**
     * @param topLevel the config's top-level parameters
     * @param module the {@code modules:} entry's parameters, or {@link Parameters#NONE}
     */
    public ParameterResolver(Parameters topLevel, Parameters module) {
        this.topLevel = Objects.requireNonNull(topLevel, "topLevel");
        this.module = Objects.requireNonNull(module, "module");
    }

    /**
     * A value and the place its setting is written (the config's start for a generated setting), so an error about
     * the value can point at it.
     *
     * @param value the evaluated value
     * @param location where the setting that gave it is written
     */
    public record Resolved(double value, SourceLocation location) {
        public Resolved {
            Objects.requireNonNull(location, "location");
        }
    }

    /**
     * A method-wide parameter (for example {@code t}, {@code normalize}, {@code lambda}).
     *
     * @param name the parameter name
     * @param outputTensorName the tensor being produced, which filters are tested against
     * @param slice the output slice the tensor belongs to (the first slice for pre weights, the last for post)
     * @param t the layer's position in the slice ({@link NormalizedConfig#PRE_POST_T} for pre and post weights)
     */
    public OptionalDouble globalParameter(String name, String outputTensorName, OutputSlice slice, double t) {
        return toDouble(resolveGlobal(name, outputTensorName, slice, t));
    }

    /**
     * A per-model parameter (for example {@code weight}, {@code density}, {@code scale}).
     *
     * @param name the parameter name
     * @param model the model whose value is wanted
     * @param inputTensorName that model's input tensor name, which filters are tested against
     * @param slice the output slice the tensor belongs to
     * @param t the layer's position in the slice
     */
    public OptionalDouble modelParameter(String name, ModelSpec model, String inputTensorName, OutputSlice slice,
            double t) {
        return toDouble(resolveModel(name, model, inputTensorName, slice, t));
    }

    /** {@link #globalParameter} with where the winning setting is written. */
    public Optional<Resolved> resolveGlobal(String name, String outputTensorName, OutputSlice slice, double t) {
        Requires.nonNull("name, slice", name, slice);
        return fromSliceUp(name, outputTensorName, slice, t);
    }

    /** {@link #modelParameter} with where the winning setting is written. */
    public Optional<Resolved> resolveModel(String name, ModelSpec model, String inputTensorName, OutputSlice slice,
            double t) {
        Requires.nonNull("name, model, slice", name, model, slice);
        for (InputSlice source : slice.sources()) {
            if (source.model().equals(model)) {
                Optional<Resolved> v = evaluate(source.parameters(), name, inputTensorName, t, source.location());
                if (v.isPresent()) {
                    return v;
                }
            }
        }
        return fromSliceUp(name, inputTensorName, slice, t);
    }

    private Optional<Resolved> fromSliceUp(String name, String tensorName, OutputSlice slice, double t) {
        return evaluate(slice.parameters(), name, tensorName, t, slice.location())
                .or(() -> evaluate(module, name, tensorName, t, MergeConfig.GENERATED))
                .or(() -> evaluate(topLevel, name, tensorName, t, MergeConfig.GENERATED));
    }

    private static Optional<Resolved> evaluate(Parameters parameters, String name, String tensorName, double t,
            SourceLocation fallback) {
        Optional<ParameterSetting> setting = parameters.get(name);
        if (setting.isEmpty()) {
            return Optional.empty();
        }
        OptionalDouble v = setting.get().evaluate(tensorName, t);
        if (v.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Resolved(v.getAsDouble(), parameters.locationOf(name).orElse(fallback)));
    }

    private static OptionalDouble toDouble(Optional<Resolved> r) {
        return r.isPresent() ? OptionalDouble.of(r.get().value()) : OptionalDouble.empty();
    }
}
