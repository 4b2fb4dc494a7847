package dev.evomerge.config;

import dev.evomerge.diag.Requires;
import dev.evomerge.diag.SourceLocation;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * One entry of {@code slices:}: output layers merged from one layer range of each source (mergekit's
 * {@code OutputSliceDefinition}). Every source spans the same number of layers. Equality ignores the location.
 * Immutable.
 *
 * @param sources the sources in the order written (the merge order); at least one
 * @param baseModel the base model for this slice instead of the top-level one, or empty
 * @param residualWeight mergekit's {@code residual_weight}, read and kept for writing back but never used
 *     (mergekit does not use it either)
 * @param parameters slice-wide parameters (second precedence, after the sources' own)
 * @param location where the slice is written
 */
public record OutputSlice(List<InputSlice> sources, Optional<ModelSpec> baseModel, OptionalDouble residualWeight,
        Parameters parameters, SourceLocation location) {

    /** mergekit's words for sources of different lengths. */
    static final String UNEQUAL_LENGTHS = "All inputs to a slice must contain the same number of layers";

    public OutputSlice {
        sources = List.copyOf(sources);
        Requires.nonNull("baseModel, residualWeight, parameters, location",
                baseModel, residualWeight, parameters, location);
        if (sources.isEmpty()) {
            throw new IllegalArgumentException("an output slice needs at least one source");
        }
        int layers = sources.getFirst().layerRange().size();
        for (InputSlice s : sources) {
            if (s.layerRange().size() != layers) {
                throw new IllegalArgumentException(UNEQUAL_LENGTHS + ": " + describeLengths(sources));
            }
        }
    }

    /** A generated slice with no base model override and no slice parameters. */
    public static OutputSlice of(List<InputSlice> sources) {
        return new OutputSlice(sources, Optional.empty(), OptionalDouble.empty(), Parameters.NONE,
                MergeConfig.GENERATED);
    }

    /** A generated slice with slice-wide parameters. */
    public static OutputSlice of(List<InputSlice> sources, Parameters parameters) {
        return new OutputSlice(sources, Optional.empty(), OptionalDouble.empty(), parameters, MergeConfig.GENERATED);
    }

    /** The number of output layers this slice gives. */
    public int layerCount() {
        return sources.getFirst().layerRange().size();
    }

    public OutputSlice withBaseModel(ModelSpec model) {
        return new OutputSlice(sources, Optional.of(model), residualWeight, parameters, location);
    }

    public OutputSlice withParameters(Parameters newParameters) {
        return new OutputSlice(sources, baseModel, residualWeight, newParameters, location);
    }

    /** "a [0, 2) has 2, b [0, 3) has 3", for messages about unequal sources. */
    static String describeLengths(List<InputSlice> sources) {
        StringBuilder b = new StringBuilder();
        for (InputSlice s : sources) {
            if (!b.isEmpty()) {
                b.append(", ");
            }
            b.append(s.model()).append(' ').append(s.layerRange()).append(" has ").append(s.layerRange().size());
        }
        return b.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OutputSlice s && sources.equals(s.sources) && baseModel.equals(s.baseModel)
                && residualWeight.equals(s.residualWeight) && parameters.equals(s.parameters);
    }

    @Override
    public int hashCode() {
        return Objects.hash(sources, baseModel, residualWeight, parameters);
    }
}
