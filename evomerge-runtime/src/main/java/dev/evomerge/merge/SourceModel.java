package dev.evomerge.merge;

import dev.evomerge.config.ModelSpec;
import dev.evomerge.diag.Requires;
import dev.evomerge.model.ModelDirectory;
import dev.evomerge.tensor.TensorSource;

/**
 * A model a merge reads: how the config names it, its directory (config.json, family, tokenizer), and its weights
 * (mapped files, or tensors in memory for a candidate that was never written). Immutable; the weights belong to the
 * {@link MergeModels} that opened them.
 *
 * @param spec the config's reference to it
 * @param directory its resolved directory and config
 * @param weights its tensors
 */
public record SourceModel(ModelSpec spec, ModelDirectory directory, TensorSource weights) {

    public SourceModel {
        Requires.nonNull("spec, directory, weights", spec, directory, weights);
    }

    /** How messages name the model: the reference as written. */
    public String label() {
        return spec.toString();
    }
}
