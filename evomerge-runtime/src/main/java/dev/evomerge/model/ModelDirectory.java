package dev.evomerge.model;

import dev.evomerge.diag.InputException;
import dev.evomerge.diag.Requires;
import dev.evomerge.tensor.TensorInfo;
import dev.evomerge.tensor.io.SafetensorsModel;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * A resolved model with its {@code config.json} read, its weights checked to be safetensors, and its family known:
 * what the merge planner and the inference code need before touching weights.
 *
 * {@snippet :
 * ModelDirectory m = ModelDirectory.load(resolver.resolve(reference), Architectures.builtIn());
 * try (SafetensorsModel weights = m.openWeights()) {
 *     for (WeightInfo w : m.weights()) { ... }
 * }
 * }
 *
 * <p>Immutable and thread-safe.
 *
 * @param model the reference and its directory
 * @param config its config.json
 * @param architecture its family's layout (a known family, or inferred from its own tensor names)
 */
public record ModelDirectory(ResolvedModel model, ModelConfig config, Architecture architecture) {

    public ModelDirectory {
        Requires.nonNull("model, config, architecture", model, config, architecture);
    }

    /**
     * Reads the config, checks the weights are safetensors (pickle checkpoints are refused, never unpickled) and
     * picks the family; a model of no known family gets a layout inferred from its own tensor names (callers
     * merging several such models infer one layout from all of them with {@link Architectures#infer}).
     *
     * @throws dev.evomerge.diag.InputException naming the file, for a missing or malformed config.json, weights
     *     that are missing, malformed or pickled
     */
    public static ModelDirectory load(ResolvedModel model, Architectures families) {
        ModelConfig config = ModelConfig.read(model.configFile());
        Architecture arch;
        try (SafetensorsModel weights = SafetensorsModel.open(model.directory())) {
            arch = families.forConfig(config).orElseGet(() -> Architectures.infer(List.of(weights.names())));
            if (!arch.isInferred()) {
                checkAgainstWeights(model, config, arch, weights);
            }
        }
        return new ModelDirectory(model, config, arch);
    }

    /**
     * Refuses a config.json that disagrees with the weights on the layer count (a smaller count would drop layers
     * silently) or the hidden size (which would be copied into a merged model's config).
     */
    private static void checkAgainstWeights(ResolvedModel model, ModelConfig config, Architecture arch,
            SafetensorsModel weights) {
        Set<String> templates = new HashSet<>();
        for (WeightInfo w : arch.layerTemplates()) {
            templates.add(w.name());
            templates.addAll(w.aliases());
        }
        int layers = 0;
        for (String name : weights.names()) {
            OptionalInt index = Architecture.layerIndexOf(name);
            if (index.isPresent() && templates.contains(Architecture.templateOf(name))) {
                layers = Math.max(layers, index.getAsInt() + 1);
            }
        }
        if (layers > 0 && arch.fixedLayerCount().isEmpty() && config.integer(arch.layerCountKey()).isPresent()) {
            int declared = config.requireInt(arch.layerCountKey());
            if (declared != layers) {
                throw new InputException(model.configFile(), arch.layerCountKey() + " is " + declared
                        + " but the weights hold " + layers + " layers", "fix config.json to match the weights");
            }
        }
        OptionalInt hidden = config.integer("hidden_size");
        for (WeightInfo w : arch.preWeights()) {
            Optional<TensorInfo> embed = w.embed() ? weights.info(w.name()) : Optional.empty();
            if (hidden.isPresent() && embed.isPresent() && embed.get().shape().dims().length == 2
                    && embed.get().shape().dims()[1] != hidden.getAsInt()) {
                throw new InputException(model.configFile(), "hidden_size is " + hidden.getAsInt() + " but the"
                        + " weights' " + w.name() + " has width " + embed.get().shape().dims()[1],
                        "fix config.json to match the weights");
            }
        }
    }

    /** The model directory. */
    public Path directory() {
        return model.directory();
    }

    /** The layer count: the config's value under the family's key (or the inferred count). */
    public int layerCount() {
        return architecture.layerCount(config);
    }

    /** Every weight the family expects, in order, for this model's layer count. */
    public List<WeightInfo> weights() {
        return architecture.weights(layerCount());
    }

    /** Opens the weights (memory-mapped); the caller closes them. */
    public SafetensorsModel openWeights() {
        return SafetensorsModel.open(model.directory());
    }

    /** Whether lm_head is tied to the embeddings. */
    public boolean tiedEmbeddings() {
        return config.tieWordEmbeddings(architecture.tiedEmbeddingsByDefault());
    }
}
