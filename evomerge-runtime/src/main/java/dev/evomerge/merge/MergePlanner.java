package dev.evomerge.merge;

import dev.evomerge.config.DTypeSetting;
import dev.evomerge.config.InputSlice;
import dev.evomerge.config.MergeConfig;
import dev.evomerge.config.MergeInputs;
import dev.evomerge.config.ModelSpec;
import dev.evomerge.config.NormalizedConfig;
import dev.evomerge.config.OutputLayer;
import dev.evomerge.config.OutputSlice;
import dev.evomerge.config.ParameterResolver;
import dev.evomerge.config.TokenizerSetting;
import dev.evomerge.diag.ConfigException;
import dev.evomerge.diag.RunException;
import dev.evomerge.event.EventListener;
import dev.evomerge.merge.method.BaseModelUse;
import dev.evomerge.merge.method.MergeMethod;
import dev.evomerge.merge.method.MergeMethods;
import dev.evomerge.merge.method.ParameterDefinition;
import dev.evomerge.model.Architecture;
import dev.evomerge.model.ArchitectureInference;
import dev.evomerge.model.ModelConfig;
import dev.evomerge.model.TokenizerFiles;
import dev.evomerge.model.WeightInfo;
import dev.evomerge.tensor.DType;
import dev.evomerge.tensor.Shape;
import dev.evomerge.tensor.TensorInfo;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns a merge config into a {@link MergePlan}, as mergekit's planner does: which output tensors there are (pre
 * weights from the first slice's sources, each output layer from its slice's sources at their own layer index, post
 * weights from the last slice's), where each input is stored (name, aliases, then tied names), the base model of
 * each tensor, every parameter evaluated with mergekit's precedence and {@code t}, the output shapes and dtypes, and
 * the output config. Every fault that can be found without reading tensor data is reported here, at its place in
 * the YAML.
 *
 * <p>Stateless; thread-safe as long as the {@link MergeModels} is.
 */
public final class MergePlanner {

    private MergePlanner() {
    }

    /** Plans a merge; models are resolved and opened through {@code models}. */
    public static MergePlan plan(MergeConfig config, MergeModels models, EventListener events) {
        MergeMethod method = MergeMethods.get(config.mergeMethod(), config.mergeMethodLocation());
        if (method.baseModelUse() == BaseModelUse.REQUIRED && config.baseModel().isEmpty()
                && !(config.inputs() instanceof MergeInputs.Slices s
                        && s.slices().stream().allMatch(sl -> sl.baseModel().isPresent()))) {
            throw new ConfigException(config.mergeMethodLocation(), "merge method " + method.name()
                    + " needs a base_model", "add base_model: with the model the others were fine-tuned from");
        }
        List<SourceModel> inputs = new ArrayList<>();
        Map<ModelSpec, Integer> index = new HashMap<>();
        for (ModelSpec spec : config.referencedModels()) {
            index.put(spec, inputs.size());
            inputs.add(models.get(spec));
        }
        Architecture arch = commonArchitecture(inputs);
        NormalizedConfig normalized = config.normalize(spec -> inputs.get(index.get(spec)).directory().layerCount());
        ParameterResolver parameters = normalized.parameters();
        Optional<DType> forcedDtype = config.dtype().map(DTypeSetting::dtype);
        Optional<DType> outDtype = config.outDtype().map(DTypeSetting::dtype).or(() -> forcedDtype);

        Planning p = new Planning(config, normalized, method, inputs, index, parameters, outDtype);
        int outLayers = normalized.layerCount();
        for (WeightInfo w : arch.preWeights()) {
            p.add(w.expand(-1, outLayers), null, normalized.firstSlice(), null, NormalizedConfig.PRE_POST_T);
        }
        for (OutputLayer layer : normalized.layers()) {
            for (WeightInfo template : arch.layerTemplates()) {
                p.add(template.expand(layer.index(), outLayers), template, layer.slice(), layer, layer.t());
            }
        }
        for (WeightInfo w : arch.postWeights()) {
            p.add(w.expand(-1, outLayers), null, normalized.lastSlice(), null, NormalizedConfig.PRE_POST_T);
        }
        List<PlannedTensor> tensors = new ArrayList<>(p.tensors);
        tensors.sort(Comparator.comparing(PlannedTensor::outputName));

        SourceModel donor = inputs.get(index.get(config.donorModel()));
        ModelConfig out = donor.directory().config();
        DType written = outDtype.orElse(tensors.isEmpty() ? DType.F32 : tensors.getFirst().outputDtype());
        out = out.withTorchDtype(written.torchName());
        if (!(config.inputs() instanceof MergeInputs.Models)) {
            out = out.with(arch.layerCountKey(), outLayers);
        }
        events.debug("planned " + tensors.size() + " tensors from " + inputs.size() + " models with "
                + method.name());
        return new MergePlan(config, normalized, method, inputs, tensors, donor, out,
                tokenizerSource(config, donor, models));
    }

    /**
     * The donor's directory, or the {@code tokenizer_source} model's: one of the merge or, as mergekit allows, a
     * model outside it, read only for its tokenizer. A source that is missing or has no tokenizer is refused.
     */
    private static Path tokenizerSource(MergeConfig config, SourceModel donor, MergeModels models) {
        Optional<TokenizerSetting> setting = config.tokenizer();
        if (setting.isEmpty() || !(setting.get().source() instanceof TokenizerSetting.FromModel(ModelSpec spec))) {
            return donor.directory().directory();
        }
        Path dir = models.directoryOf(spec);
        if (!TokenizerFiles.hasTokenizer(dir)) {
            throw new ConfigException(setting.get().location(), "the tokenizer_source model " + dir
                    + " has no tokenizer (tokenizer_config.json with tokenizer.json or tokenizer.model)",
                    "name a model with a tokenizer, or leave tokenizer_source out to use the base model's");
        }
        return dir;
    }

    /** All inputs must be one architecture; models of no known family get one layout inferred from all of them. */
    private static Architecture commonArchitecture(List<SourceModel> inputs) {
        SourceModel first = inputs.getFirst();
        boolean anyInferred = inputs.stream().anyMatch(m -> m.directory().architecture().isInferred());
        if (anyInferred) {
            List<java.util.Collection<String>> names = new ArrayList<>();
            inputs.forEach(m -> names.add(m.weights().names()));
            return ArchitectureInference.infer(names);
        }
        for (SourceModel m : inputs) {
            String a = m.directory().architecture().name();
            if (!a.equals(first.directory().architecture().name())) {
                throw new ConfigException(m.spec().location(), "model '" + m.label() + "' is a " + a + " model but '"
                        + first.label() + "' is a " + first.directory().architecture().name() + " model",
                        "merge models of one architecture");
            }
        }
        return first.directory().architecture();
    }

    /** The state of one planning run. */
    private static final class Planning {
        final MergeConfig config;
        final NormalizedConfig normalized;
        final MergeMethod method;
        final List<SourceModel> inputs;
        final Map<ModelSpec, Integer> index;
        final ParameterResolver parameters;
        final Optional<DType> outDtype;
        final List<PlannedTensor> tensors = new ArrayList<>();

        Planning(MergeConfig config, NormalizedConfig normalized, MergeMethod method, List<SourceModel> inputs,
                Map<ModelSpec, Integer> index, ParameterResolver parameters, Optional<DType> outDtype) {
            this.config = config;
            this.normalized = normalized;
            this.method = method;
            this.inputs = inputs;
            this.index = index;
            this.parameters = parameters;
            this.outDtype = outDtype;
        }

        /**
         * Plans one output tensor. For layer weights, {@code template} is the per-layer template and {@code layer}
         * the output layer (each source reads the template at its own layer index); both are null for pre and post
         * weights, which every source reads under the same name.
         */
        void add(WeightInfo output, WeightInfo template, OutputSlice slice, OutputLayer layer, double t) {
            List<InputTensor> ins = new ArrayList<>();
            List<String> stored = new ArrayList<>();
            List<DType> dtypes = new ArrayList<>();
            boolean presentUnderOwnName = false;
            Optional<ModelSpec> base = normalized.baseModel(slice);
            int baseIndex = -1;
            for (InputSlice source : slice.sources()) {
                SourceModel model = inputs.get(index.get(source.model()));
                WeightInfo w = layer == null ? output
                        : template.expand(layer.sourceLayer(source), model.directory().layerCount());
                Found found = find(model, w);
                if (found == null) {
                    if (output.optional()) {
                        continue;
                    }
                    throw new ConfigException(source.location(), "tensor " + w.name()
                            + " required but not present in model '" + model.label() + "'",
                            "check the layer_range and that the models share one architecture");
                }
                presentUnderOwnName |= !found.tied;
                boolean isBase = base.isPresent() && base.get().equals(source.model());
                if (isBase && baseIndex < 0) {
                    baseIndex = ins.size();
                }
                ins.add(new InputTensor(index.get(source.model()), model.label(), w.name(), found.info.shape(),
                        modelParameters(source, w.name(), slice, t, isBase)));
                stored.add(found.info.name());
                dtypes.add(found.info.dtype());
            }
            if (ins.isEmpty() || (output.optional() && !presentUnderOwnName)) {
                return;
            }
            if (base.isPresent() && baseIndex < 0 && method.baseModelUse() == BaseModelUse.REQUIRED) {
                throw new ConfigException(slice.location(), "the base model '" + base.get()
                        + "' is not among the sources of this slice", "list it as a source with the same"
                        + " layer_range, as mergekit's slices: syntax requires");
            }
            TensorMergeSpec spec = new TensorMergeSpec(output.name(), output.embed(), output.optional(), ins,
                    baseIndex, globalParameters(output.name(), slice, t));
            try {
                method.check(spec);
                if (!method.producesOutput(spec)) {
                    return;
                }
                Shape shape = method.outputShape(spec);
                DType inDtype = dtypes.get(baseIndex >= 0 ? baseIndex : 0);
                tensors.add(new PlannedTensor(spec, stored, dtypes, shape, outDtype.orElse(inDtype)));
            } catch (RunException e) {
                throw new ConfigException(config.mergeMethodLocation(), e.getMessage(), e.suggestion().orElse(null));
            }
        }

        private record Found(TensorInfo info, boolean tied) {
        }

        /** The tensor under its name or an alias, else under a tied name (mergekit's lookup order). */
        private static Found find(SourceModel model, WeightInfo w) {
            for (String n : w.lookupNames()) {
                Optional<TensorInfo> info = model.weights().info(n);
                if (info.isPresent()) {
                    return new Found(info.get(), w.tiedNames().contains(n) && !n.equals(w.name())
                            && !w.aliases().contains(n));
                }
            }
            return null;
        }

        private ParameterValues modelParameters(InputSlice source, String inputName, OutputSlice slice, double t,
                boolean isBase) {
            Map<String, Double> values = new HashMap<>();
            for (ParameterDefinition def : method.modelParameters()) {
                var resolved = parameters.resolveModel(def.name(), source.model(), inputName, slice, t);
                if (resolved.isPresent()) {
                    values.put(def.name(), resolved.get().value());
                } else if (def.required() && !(isBase && method.baseModelUse() != BaseModelUse.INPUT)) {
                    throw new ConfigException(source.location(), "Missing required parameter " + def.name()
                            + " for " + source.model() + "." + inputName, "set " + def.name()
                            + " under this model's parameters, the slice's, or the top-level parameters");
                }
            }
            return new ParameterValues(values);
        }

        private ParameterValues globalParameters(String outputName, OutputSlice slice, double t) {
            Map<String, Double> values = new HashMap<>();
            for (ParameterDefinition def : method.globalParameters()) {
                var resolved = parameters.resolveGlobal(def.name(), outputName, slice, t);
                if (resolved.isPresent()) {
                    values.put(def.name(), resolved.get().value());
                } else if (def.required()) {
                    throw new ConfigException(config.location(), "Missing required parameter " + def.name() + " for "
                            + outputName, "set " + def.name() + " under parameters:");
                }
            }
            return new ParameterValues(values);
        }
    }
}
