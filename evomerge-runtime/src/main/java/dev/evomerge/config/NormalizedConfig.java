package dev.evomerge.config;

import dev.evomerge.diag.ConfigException;
import dev.evomerge.diag.Requires;
import dev.evomerge.diag.SourceLocation;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * A config in the one shape the planner works on (mergekit's {@code normalize_config}): output slices, each with
 * its sources. A {@code models:} list becomes one slice with one source per model spanning all its layers, each
 * source carrying that model's parameters, and the base model appended as a source without parameters when it is
 * not listed. {@code slices:} are taken as written. Immutable and thread-safe.
 *
 * <p>How the planner walks it: the weights before the first layer (embeddings) come from the sources of
 * {@link #firstSlice()}, each layer of {@link #layers()} from its slice's sources, and the weights after the last
 * layer (final norm, lm_head) from the sources of {@link #lastSlice()}. Pre and post weights are evaluated at
 * {@link #PRE_POST_T}. Parameters are looked up with {@link #parameters()}.
 *
 * @param config the config as written
 * @param moduleParameters the parameters of the {@code modules:} entry, or none
 * @param slices the output slices, in order; at least one
 * @param layers every output layer, in order
 */
public record NormalizedConfig(MergeConfig config, Parameters moduleParameters, List<OutputSlice> slices,
        List<OutputLayer> layers) {

    /** The {@code t} at which pre and post weights (embeddings, final norm, lm_head) are evaluated. */
    public static final double PRE_POST_T = 0.0;

    public NormalizedConfig {
        Requires.nonNull("config, moduleParameters", config, moduleParameters);
        slices = Requires.nonEmptyCopy(slices, "a normalized config needs at least one slice");
        layers = List.copyOf(layers);
    }

    /**
     * Normalises a config.
     *
     * @throws ConfigException when the sources of a slice span different numbers of layers (with {@code models:},
     *     models of different depths), or when a layer range goes past the end of its model
     */
    static NormalizedConfig of(MergeConfig config, LayerCounter counter) {
        Parameters moduleParameters = Parameters.NONE;
        MergeInputs inputs = config.inputs();
        if (inputs instanceof MergeInputs.Module module) {
            moduleParameters = module.parameters();
            inputs = module.body();
        }
        List<OutputSlice> slices = switch (inputs) {
            case MergeInputs.Models models -> List.of(wholeModels(models, config.baseModel(), counter));
            case MergeInputs.Slices written -> checkRanges(written.slices(), counter);
            case MergeInputs.Module nested -> throw new IllegalStateException("nested module " + nested.name());
        };
        List<OutputLayer> layers = new ArrayList<>();
        for (int s = 0; s < slices.size(); s++) {
            OutputSlice slice = slices.get(s);
            int count = slice.layerCount();
            for (int offset = 0; offset < count; offset++) {
                layers.add(new OutputLayer(layers.size(), s, slice, offset, OutputLayer.tOf(offset, count)));
            }
        }
        return new NormalizedConfig(config, moduleParameters, slices, layers);
    }

    /** The number of layers of the merged model. */
    public int layerCount() {
        return layers.size();
    }

    /** The slice whose sources give the weights before the first layer. */
    public OutputSlice firstSlice() {
        return slices.getFirst();
    }

    /** The slice whose sources give the weights after the last layer. */
    public OutputSlice lastSlice() {
        return slices.getLast();
    }

    /** The base model for tensors of {@code slice}: the slice's own, else the top-level one. */
    public Optional<ModelSpec> baseModel(OutputSlice slice) {
        return slice.baseModel().or(config::baseModel);
    }

    /** The parameter lookup for this config, with mergekit's precedence. */
    public ParameterResolver parameters() {
        return new ParameterResolver(config.parameters(), moduleParameters);
    }

    private static OutputSlice wholeModels(MergeInputs.Models models, Optional<ModelSpec> base, LayerCounter counter) {
        List<InputSlice> sources = new ArrayList<>();
        boolean baseListed = false;
        for (ModelDefinition m : models.models()) {
            baseListed |= base.isPresent() && base.get().equals(m.model());
            sources.add(new InputSlice(m.model(), allLayers(m.model(), counter), m.parameters(), m.location()));
        }
        if (base.isPresent() && !baseListed) {
            ModelSpec b = base.get();
            sources.add(new InputSlice(b, allLayers(b, counter), Parameters.NONE, b.location()));
        }
        checkEqualLengths(sources, models.location());
        return new OutputSlice(sources, Optional.empty(), OptionalDouble.empty(), Parameters.NONE, models.location());
    }

    private static LayerRange allLayers(ModelSpec model, LayerCounter counter) {
        int n = counter.layerCount(model);
        if (n <= 0) {
            throw new ConfigException(model.location(), "model '" + model + "' has " + n + " layers",
                    "check num_hidden_layers in its config.json");
        }
        return new LayerRange(0, n);
    }

    private static List<OutputSlice> checkRanges(List<OutputSlice> slices, LayerCounter counter) {
        for (OutputSlice slice : slices) {
            for (InputSlice source : slice.sources()) {
                int n = counter.layerCount(source.model());
                if (source.layerRange().end() > n) {
                    throw new ConfigException(source.location(), "layer_range " + source.layerRange()
                            + " goes past the end of model '" + source.model() + "', which has " + n + " layers",
                            "take layers from 0 to " + n + " at most (the end is exclusive)");
                }
            }
        }
        return slices;
    }

    static void checkEqualLengths(List<InputSlice> sources, SourceLocation where) {
        int first = sources.getFirst().layerRange().size();
        for (InputSlice s : sources) {
            if (s.layerRange().size() != first) {
                throw new ConfigException(where, OutputSlice.UNEQUAL_LENGTHS + ": "
                        + OutputSlice.describeLengths(sources),
                        "make every source of the slice span as many layers as the others");
            }
        }
    }
}
