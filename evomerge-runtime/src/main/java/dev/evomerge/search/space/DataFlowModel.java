package dev.evomerge.search.space;

import dev.evomerge.config.ModelSpec;
import dev.evomerge.model.ModelDirectory;
import java.util.Objects;

/**
 * One model of a data-flow search, as much as the genome and the export need: the model (for the exported recipe),
 * its decoder layer count and whether its lm_head is tied to its embeddings. In a hybrid run the parameter-space
 * result is one of these, made from its written directory. Immutable.
 *
 * @param model the model, as the exported passthrough config names it
 * @param layers its decoder layer count, at least 1
 * @param tiedEmbeddings whether lm_head is the embedding matrix (then s<sub>0</sub> cannot be folded)
 */
public record DataFlowModel(ModelSpec model, int layers, boolean tiedEmbeddings) {

    public DataFlowModel {
        Objects.requireNonNull(model, "model");
        if (layers < 1) {
            throw new IllegalArgumentException("model " + model + " needs at least one layer, got " + layers);
        }
    }

    /** A model directory as a data-flow model, named by its reference. */
    public static DataFlowModel of(ModelDirectory directory) {
        return new DataFlowModel(ModelSpec.of(directory.model().reference()), directory.layerCount(),
                directory.tiedEmbeddings());
    }
}
