package dev.evomerge.config;

import dev.evomerge.diag.Requires;
import dev.evomerge.diag.SourceLocation;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.SequencedSet;

/**
 * What a merge takes, in the form the config writes it: whole models ({@code models:}), layer slices
 * ({@code slices:}), or the single module of a {@code modules:} block holding one of those. The form is kept so a
 * config can be written back as it was; {@link MergeConfig#normalize} turns every form into output slices.
 * Equality ignores locations. Immutable.
 */
public sealed interface MergeInputs permits MergeInputs.Models, MergeInputs.Slices, MergeInputs.Module {

    /** Where the block is written (its key). */
    SourceLocation location();

    /** Every model named by the inputs, once each, in the order written. */
    SequencedSet<ModelSpec> referencedModels();

    /**
     * {@code models:}: each model is merged whole.
     *
     * @param models at least one entry, in the order written (the merge order)
     * @param location where {@code models:} is written
     */
    record Models(List<ModelDefinition> models, SourceLocation location) implements MergeInputs {
        public Models {
            models = Requires.nonEmptyCopy(models, "models: needs at least one model");
            Objects.requireNonNull(location, "location");
        }

        /** A generated list. */
        public static Models of(List<ModelDefinition> models) {
            return new Models(models, MergeConfig.GENERATED);
        }

        @Override
        public SequencedSet<ModelSpec> referencedModels() {
            SequencedSet<ModelSpec> all = new LinkedHashSet<>();
            models.forEach(m -> all.add(m.model()));
            return all;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Models m && models.equals(m.models);
        }

        @Override
        public int hashCode() {
            return models.hashCode();
        }
    }

    /**
     * {@code slices:}: output layers assembled slice by slice.
     *
     * @param slices at least one slice, in output order
     * @param location where {@code slices:} is written
     */
    record Slices(List<OutputSlice> slices, SourceLocation location) implements MergeInputs {
        public Slices {
            slices = Requires.nonEmptyCopy(slices, "slices: needs at least one slice");
            Objects.requireNonNull(location, "location");
        }

        /** A generated list. */
        public static Slices of(List<OutputSlice> slices) {
            return new Slices(slices, MergeConfig.GENERATED);
        }

        @Override
        public SequencedSet<ModelSpec> referencedModels() {
            SequencedSet<ModelSpec> all = new LinkedHashSet<>();
            slices.forEach(s -> s.sources().forEach(src -> all.add(src.model())));
            return all;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Slices s && slices.equals(s.slices);
        }

        @Override
        public int hashCode() {
            return slices.hashCode();
        }
    }

    /**
     * {@code modules: {name: {models|slices, parameters}}} with exactly one module (the only form a single-module,
     * decoder-only architecture has).
     *
     * @param name the module name ({@code default} for the architectures evomerge knows)
     * @param body the module's models or slices
     * @param parameters the module's parameters (third precedence, before the top-level ones)
     * @param location where the module's name is written
     */
    record Module(String name, MergeInputs body, Parameters parameters, SourceLocation location)
            implements MergeInputs {
        public Module {
            Requires.nonNull("name, body, parameters, location", name, body, parameters, location);
            if (body instanceof Module) {
                throw new IllegalArgumentException("a module holds models or slices, not another module");
            }
        }

        @Override
        public SequencedSet<ModelSpec> referencedModels() {
            return body.referencedModels();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Module m && name.equals(m.name) && body.equals(m.body)
                    && parameters.equals(m.parameters);
        }

        @Override
        public int hashCode() {
            return Objects.hash(name, body, parameters);
        }
    }
}
