package dev.evomerge.config;

import dev.evomerge.diag.Requires;
import dev.evomerge.diag.SourceLocation;
import java.util.Objects;

/**
 * One entry of a whole-model {@code models:} list: a model and its per-model parameters. Equality ignores the
 * location. Immutable.
 *
 * @param model the model
 * @param parameters its parameters (highest precedence for this model)
 * @param location where the entry is written
 */
public record ModelDefinition(ModelSpec model, Parameters parameters, SourceLocation location) {

    public ModelDefinition {
        Requires.nonNull("model, parameters, location", model, parameters, location);
    }

    /** A generated entry. */
    public static ModelDefinition of(ModelSpec model, Parameters parameters) {
        return new ModelDefinition(model, parameters, MergeConfig.GENERATED);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModelDefinition d && model.equals(d.model) && parameters.equals(d.parameters);
    }

    @Override
    public int hashCode() {
        return Objects.hash(model, parameters);
    }
}
