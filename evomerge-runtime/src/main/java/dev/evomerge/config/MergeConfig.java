package dev.evomerge.config;

import dev.evomerge.diag.Requires;
import dev.evomerge.diag.SourceLocation;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.SequencedSet;

/**
 * A mergekit merge config ({@code MergeConfiguration}) as immutable records that remember where each part is
 * written. Read one with {@link MergeConfigFile#read}, write one with {@link MergeConfigWriter#write}, and turn it
 * into output slices with {@link #normalize}. Equality compares meaning, not positions, so a config read back from
 * what {@link MergeConfigWriter} wrote equals the original. Immutable and thread-safe.
 *
 * {@snippet :
 * MergeConfigFile file = MergeConfigFile.read(Path.of("merge.yml"), events);
 * NormalizedConfig plan = file.config().normalize(model -> layerCountOf(model));
 * for (OutputLayer layer : plan.layers()) {
 *     // layer.index(), layer.t(), layer.sources(), layer.sourceLayer(source)
 * }
 * }
 *
 * @param mergeMethod the merge method name (checked against the registry by the planner, not here)
 * @param inputs the models or slices, in the form written
 * @param baseModel the top-level base model, or empty
 * @param parameters the top-level parameters (lowest precedence)
 * @param dtype the dtype inputs are cast to when loaded, or empty to keep each tensor's own
 * @param outDtype the dtype outputs are cast to when written, or empty
 * @param tokenizer where the tokenizer comes from, or empty to copy the donor's tokenizer unchanged
 * @param chatTemplate the chat template to set, or empty
 * @param location where the config starts; {@code merge_method}'s own place is {@link #mergeMethodLocation}
 * @param mergeMethodLocation where the method name is written
 */
public record MergeConfig(String mergeMethod, MergeInputs inputs, Optional<ModelSpec> baseModel,
        Parameters parameters, Optional<DTypeSetting> dtype, Optional<DTypeSetting> outDtype,
        Optional<TokenizerSetting> tokenizer, Optional<ChatTemplate> chatTemplate, SourceLocation location,
        SourceLocation mergeMethodLocation) {

    /** The location of parts made in code rather than read from a file. */
    public static final SourceLocation GENERATED = SourceLocation.of(Path.of("(generated)"));

    public MergeConfig {
        Objects.requireNonNull(mergeMethod, "mergeMethod");
        if (mergeMethod.isBlank()) {
            throw new IllegalArgumentException("merge method name is empty");
        }
        Requires.nonNull("inputs, baseModel, parameters, dtype, outDtype, tokenizer, chatTemplate, location, "
                + "mergeMethodLocation",
                inputs, baseModel, parameters, dtype, outDtype, tokenizer, chatTemplate, location, mergeMethodLocation);
    }

    /** A generated config with only a method and its inputs; add the rest with the {@code withX} copies. */
    public static MergeConfig of(String mergeMethod, MergeInputs inputs) {
        return new MergeConfig(mergeMethod, inputs, Optional.empty(), Parameters.NONE, Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), GENERATED, GENERATED);
    }

    /**
     * Every model the config names, once each: the top-level base model first, then the inputs in the order
     * written (mergekit's {@code referenced_models}, in a fixed order instead of a set's).
     */
    public SequencedSet<ModelSpec> referencedModels() {
        SequencedSet<ModelSpec> all = new LinkedHashSet<>();
        baseModel.ifPresent(all::add);
        all.addAll(inputs.referencedModels());
        return all;
    }

    /**
     * The model {@code config.json} and the tokenizer are taken from: the base model, else the first model
     * written. (mergekit picks an arbitrary one without a base model; evomerge fixes it.)
     */
    public ModelSpec donorModel() {
        return referencedModels().getFirst();
    }

    /**
     * The inputs as output slices, with mergekit's normalisation: a {@code models:} list becomes one slice with one
     * source per model over all its layers, plus the base model if it is not listed.
     *
     * @param layers gives a model's layer count (from its config.json, which this package does not read)
     */
    public NormalizedConfig normalize(LayerCounter layers) {
        return NormalizedConfig.of(this, layers);
    }

    public MergeConfig withMergeMethod(String method) {
        return new MergeConfig(method, inputs, baseModel, parameters, dtype, outDtype, tokenizer, chatTemplate,
                location, GENERATED);
    }

    public MergeConfig withInputs(MergeInputs newInputs) {
        return new MergeConfig(mergeMethod, newInputs, baseModel, parameters, dtype, outDtype, tokenizer,
                chatTemplate, location, mergeMethodLocation);
    }

    public MergeConfig withBaseModel(ModelSpec model) {
        return new MergeConfig(mergeMethod, inputs, Optional.ofNullable(model), parameters, dtype, outDtype,
                tokenizer, chatTemplate, location, mergeMethodLocation);
    }

    public MergeConfig withParameters(Parameters newParameters) {
        return new MergeConfig(mergeMethod, inputs, baseModel, newParameters, dtype, outDtype, tokenizer,
                chatTemplate, location, mergeMethodLocation);
    }

    public MergeConfig withDtype(DTypeSetting newDtype) {
        return new MergeConfig(mergeMethod, inputs, baseModel, parameters, Optional.ofNullable(newDtype), outDtype,
                tokenizer, chatTemplate, location, mergeMethodLocation);
    }

    public MergeConfig withOutDtype(DTypeSetting newOutDtype) {
        return new MergeConfig(mergeMethod, inputs, baseModel, parameters, dtype, Optional.ofNullable(newOutDtype),
                tokenizer, chatTemplate, location, mergeMethodLocation);
    }

    public MergeConfig withTokenizer(TokenizerSetting newTokenizer) {
        return new MergeConfig(mergeMethod, inputs, baseModel, parameters, dtype, outDtype,
                Optional.ofNullable(newTokenizer), chatTemplate, location, mergeMethodLocation);
    }

    public MergeConfig withChatTemplate(ChatTemplate newTemplate) {
        return new MergeConfig(mergeMethod, inputs, baseModel, parameters, dtype, outDtype, tokenizer,
                Optional.ofNullable(newTemplate), location, mergeMethodLocation);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MergeConfig c && mergeMethod.equals(c.mergeMethod) && inputs.equals(c.inputs)
                && baseModel.equals(c.baseModel) && parameters.equals(c.parameters) && dtype.equals(c.dtype)
                && outDtype.equals(c.outDtype) && tokenizer.equals(c.tokenizer)
                && chatTemplate.equals(c.chatTemplate);
    }

    @Override
    public int hashCode() {
        return Objects.hash(mergeMethod, inputs, baseModel, parameters, dtype, outDtype, tokenizer, chatTemplate);
    }

    /** For test failures and debugging: the config as the YAML {@link MergeConfigWriter} writes. */
    @Override
    public String toString() {
        return MergeConfigWriter.write(this);
    }
}
