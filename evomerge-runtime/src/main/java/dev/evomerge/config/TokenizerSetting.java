package dev.evomerge.config;

import dev.evomerge.diag.Requires;
import dev.evomerge.diag.SourceLocation;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the merged model's tokenizer comes from: {@code tokenizer_source: X} (the legacy key) or
 * {@code tokenizer: {source: X}}, with X {@code base} or a model. mergekit's {@code union} and the {@code tokens:}
 * and {@code pad_to_multiple_of} options are refused when read (not supported yet). With {@code base} or a model,
 * mergekit takes that tokenizer as the output vocabulary and permutes every model's embeddings into it
 * (mergekit-semantics.md §1.6). Equality ignores the location. Immutable.
 *
 * @param source the base model's tokenizer, or the model named here
 * @param legacyKey whether it was written as {@code tokenizer_source:} (kept to write it back the same way)
 * @param location where it is written
 */
public record TokenizerSetting(Source source, boolean legacyKey, SourceLocation location) {

    public TokenizerSetting {
        Requires.nonNull("source, location", source, location);
    }

    /** Where the vocabulary comes from. */
    public sealed interface Source permits Base, FromModel {
    }

    /** The base model's tokenizer ({@code base}). */
    public record Base() implements Source {
    }

    /**
     * A model's tokenizer.
     *
     * @param model the model
     */
    public record FromModel(ModelSpec model) implements Source {
        public FromModel {
            Objects.requireNonNull(model, "model");
        }
    }

    /** The model named as the source, when it is one. */
    public Optional<ModelSpec> model() {
        return source instanceof FromModel(ModelSpec m) ? Optional.of(m) : Optional.empty();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TokenizerSetting t && source.equals(t.source) && legacyKey == t.legacyKey;
    }

    @Override
    public int hashCode() {
        return Objects.hash(source, legacyKey);
    }
}
