package dev.evomerge.model;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A model reference and the local directory it resolved to. Immutable.
 *
 * @param reference what the user wrote
 * @param directory the model directory (config.json, weights, tokenizer)
 * @param fromHubCache whether it was found in the Hugging Face cache rather than as a local path
 */
public record ResolvedModel(ModelReference reference, Path directory, boolean fromHubCache) {

    public ResolvedModel {
        Objects.requireNonNull(reference, "reference");
        Objects.requireNonNull(directory, "directory");
    }

    /** The directory's {@code config.json}. */
    public Path configFile() {
        return directory.resolve("config.json");
    }
}
