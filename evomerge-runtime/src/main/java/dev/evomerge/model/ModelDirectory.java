package dev.evomerge.model;

import dev.evomerge.tensor.io.SafetensorsModel;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

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
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(architecture, "architecture");
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
        }
        return new ModelDirectory(model, config, arch);
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
