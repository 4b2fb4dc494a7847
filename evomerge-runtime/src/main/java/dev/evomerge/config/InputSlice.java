package dev.evomerge.config;

import dev.evomerge.diag.Requires;
import dev.evomerge.diag.SourceLocation;
import java.util.Objects;

/**
 * One source of an output slice: a range of layers of one model, and that model's parameters for this slice
 * (mergekit's {@code InputSliceDefinition}). Equality ignores the location. Immutable.
 *
 * @param model the model the layers come from
 * @param layerRange which of its layers
 * @param parameters per-model parameters for this slice (highest precedence)
 * @param location where the source is written
 */
public record InputSlice(ModelSpec model, LayerRange layerRange, Parameters parameters, SourceLocation location) {

    public InputSlice {
        Requires.nonNull("model, layerRange, parameters, location", model, layerRange, parameters, location);
    }

    /** A generated source taking layers {@code [start, end)} of a model. */
    public static InputSlice of(ModelSpec model, int start, int end, Parameters parameters) {
        return new InputSlice(model, new LayerRange(start, end), parameters, MergeConfig.GENERATED);
    }

    /** A generated source without parameters. */
    public static InputSlice of(ModelSpec model, int start, int end) {
        return of(model, start, end, Parameters.NONE);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof InputSlice s && model.equals(s.model) && layerRange.equals(s.layerRange)
                && parameters.equals(s.parameters);
    }

    @Override
    public int hashCode() {
        return Objects.hash(model, layerRange, parameters);
    }
}
