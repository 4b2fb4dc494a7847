package dev.evomerge.model;

import dev.evomerge.tensor.io.SafetensorsModel;
import java.util.List;
import java.util.Objects;

/**
 * A resolved model with its {@code config.json} read and its family known: what the merge planner and the
 * inference code need before touching weights. Immutable.
 *
 * @param model the reference and its directory
 * @param config its config.json
 * @param architecture its family's layout (a known family, or inferred from its tensor names)
 */
public record ModelDirectory(ResolvedModel model, ModelConfig config, Architecture architecture) {

    public ModelDirectory {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(architecture, "architecture");
    }

    /**
     * Reads the config and picks the family; a model of no known family gets a layout inferred from its own tensor
     * names (callers merging several such models infer one layout from all of them with
     * {@link Architectures#infer}).
     */
    public static ModelDirectory load(ResolvedModel model, Architectures families) {
        ModelConfig config = ModelConfig.read(model.configFile());
        Architecture arch = families.forConfig(config).orElseGet(() -> {
            try (SafetensorsModel weights = SafetensorsModel.open(model.directory())) {
                return Architectures.infer(List.of(weights.names()));
            }
        });
        return new ModelDirectory(model, config, arch);
    }

    /** The layer count from the family's config key. */
    public int layerCount() {
        return config.requireInt(architecture.layerCountKey());
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
