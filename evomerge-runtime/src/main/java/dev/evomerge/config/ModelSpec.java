package dev.evomerge.config;

import dev.evomerge.diag.Requires;
import dev.evomerge.diag.SourceLocation;
import dev.evomerge.model.ModelReference;
import java.util.Objects;
import java.util.Optional;

/**
 * A model as a merge config names it: the reference (path, revision, LoRA) and mergekit's
 * {@code override_architecture}, which replaces the architecture named in the model's {@code config.json}. Written
 * either as {@code path[@revision][+lora[@revision]]} or as {@code {model: {path, revision}, lora: ...,
 * override_architecture: ...}}.
 *
 * <p>Two specs are equal when they name the same model (reference and architecture override), wherever they are
 * written: the location only serves messages. This is the identity mergekit uses to match a slice's sources against
 * the base model and against per-model parameters. Immutable.
 *
 * @param reference the model reference; a LoRA part is kept here and refused when the model is resolved
 * @param overrideArchitecture the transformers class name to use instead of config.json's, or null
 * @param location where the reference is written
 */
public record ModelSpec(ModelReference reference, String overrideArchitecture, SourceLocation location) {

    public ModelSpec {
        Requires.nonNull("reference, location", reference, location);
        if (overrideArchitecture != null && overrideArchitecture.isBlank()) {
            throw new IllegalArgumentException("override_architecture is empty for model '" + reference + "'");
        }
    }

    /** A generated spec for a reference in mergekit's string form, without an architecture override. */
    public static ModelSpec of(String reference) {
        return new ModelSpec(ModelReference.parse(reference), null, MergeConfig.GENERATED);
    }

    /** A generated spec for a reference, without an architecture override. */
    public static ModelSpec of(ModelReference reference) {
        return new ModelSpec(reference, null, MergeConfig.GENERATED);
    }

    public Optional<String> overrideArchitectureOpt() {
        return Optional.ofNullable(overrideArchitecture);
    }

    /** The same model named at another place. */
    public ModelSpec at(SourceLocation newLocation) {
        return new ModelSpec(reference, overrideArchitecture, newLocation);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModelSpec m && reference.equals(m.reference)
                && Objects.equals(overrideArchitecture, m.overrideArchitecture);
    }

    @Override
    public int hashCode() {
        return Objects.hash(reference, overrideArchitecture);
    }

    /** mergekit's string form of the reference ({@code path[@revision][+lora]}), as its messages name models. */
    @Override
    public String toString() {
        return reference.toString();
    }
}
