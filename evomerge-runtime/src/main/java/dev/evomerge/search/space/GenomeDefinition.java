package dev.evomerge.search.space;

import dev.evomerge.config.DTypeSetting;
import dev.evomerge.config.MergeConfig;
import dev.evomerge.config.ModelSpec;
import dev.evomerge.config.TokenizerSetting;
import dev.evomerge.diag.Requires;
import dev.evomerge.diag.SourceLocation;
import dev.evomerge.tensor.DType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code genome:} section of an evolve config: mergekit-evolve's {@code ModelGenomeDefinition} keys, plus the
 * {@code dtype} written into every decoded config (mergekit-evolve's fixed {@code bfloat16} by default). Only the
 * shape of the values is checked here; {@link ParameterSpace#of} checks what they mean and reports mistakes at the
 * key's location. Immutable.
 *
 * {@snippet :
 * GenomeDefinition genome = GenomeDefinition.builder(List.of(ModelSpec.of("models/math"), ModelSpec.of("models/ja")),
 *         "dare_ties").baseModel(ModelSpec.of("models/base")).filters(List.of("self_attn", "mlp")).build();
 * }
 *
 * @param models the models whose parameters are searched (the M axis), at least one
 * @param mergeMethod the merge method
 * @param baseModel the base model, or empty
 * @param tokenizerSource {@code tokenizer_source}, passed through to every decoded config, or empty
 * @param layerGranularity layers per group; 0 puts all layers in one group (mergekit-evolve's default)
 * @param normalize {@code normalize}, or empty for the method's rule ({@link PsMethod#normalizeByDefault})
 * @param allowNegativeWeights whether weights keep their sign instead of becoming {@code |x|}
 * @param filters substring filters, one parameter set each plus a catch-all (the S axis)
 * @param smooth whether parameters are gradients over the layer groups instead of one slice per group
 * @param dtype the dtype written into decoded configs
 * @param location where the section is written
 * @param keyLocations where each key is written, for messages (a missing key falls back to {@code location})
 */
public record GenomeDefinition(List<ModelSpec> models, String mergeMethod, Optional<ModelSpec> baseModel,
        Optional<TokenizerSetting> tokenizerSource, int layerGranularity, Optional<Boolean> normalize,
        boolean allowNegativeWeights, List<String> filters, boolean smooth, DTypeSetting dtype,
        SourceLocation location, Map<String, SourceLocation> keyLocations) {

    public GenomeDefinition {
        models = List.copyOf(models);
        Requires.nonNull("mergeMethod, baseModel, tokenizerSource, normalize, dtype, location",
                mergeMethod, baseModel, tokenizerSource, normalize, dtype, location);
        filters = List.copyOf(filters);
        keyLocations = Map.copyOf(keyLocations);
    }

    /** A generated definition with mergekit-evolve's defaults, to be completed with the builder's setters. */
    public static Builder builder(List<ModelSpec> models, String mergeMethod) {
        return new Builder(models, mergeMethod);
    }

    /** Where {@code key} is written, or the section's location when the key is not written. */
    public SourceLocation locationOf(String key) {
        return keyLocations.getOrDefault(key, location);
    }

    /** Builds a {@link GenomeDefinition}; not thread-safe. */
    public static final class Builder {
        private final List<ModelSpec> models;
        private final String mergeMethod;
        private ModelSpec baseModel;
        private TokenizerSetting tokenizerSource;
        private int layerGranularity;
        private Boolean normalize;
        private boolean allowNegativeWeights;
        private List<String> filters = List.of();
        private boolean smooth;
        private DTypeSetting dtype = DTypeSetting.of(DType.BF16);
        private SourceLocation location = MergeConfig.GENERATED;
        private final Map<String, SourceLocation> keyLocations = new HashMap<>();

        private Builder(List<ModelSpec> models, String mergeMethod) {
            this.models = new ArrayList<>(models);
            this.mergeMethod = mergeMethod;
        }

        public Builder baseModel(ModelSpec model) {
            this.baseModel = model;
            return this;
        }

        public Builder tokenizerSource(TokenizerSetting source) {
            this.tokenizerSource = source;
            return this;
        }

        public Builder layerGranularity(int layers) {
            this.layerGranularity = layers;
            return this;
        }

        /** {@code normalize}; null leaves it to the method's rule. */
        public Builder normalize(Boolean value) {
            this.normalize = value;
            return this;
        }

        public Builder allowNegativeWeights(boolean allow) {
            this.allowNegativeWeights = allow;
            return this;
        }

        public Builder filters(List<String> substrings) {
            this.filters = substrings;
            return this;
        }

        public Builder smooth(boolean value) {
            this.smooth = value;
            return this;
        }

        public Builder dtype(DTypeSetting value) {
            this.dtype = value;
            return this;
        }

        /** Where the section is written. */
        public Builder location(SourceLocation where) {
            this.location = where;
            return this;
        }

        /** Where one key is written. */
        public Builder keyLocation(String key, SourceLocation where) {
            keyLocations.put(key, where);
            return this;
        }

        public GenomeDefinition build() {
            return new GenomeDefinition(models, mergeMethod, Optional.ofNullable(baseModel),
                    Optional.ofNullable(tokenizerSource), layerGranularity, Optional.ofNullable(normalize),
                    allowNegativeWeights, filters, smooth, dtype, location, keyLocations);
        }
    }
}
