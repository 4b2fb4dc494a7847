package dev.evomerge.model;

import dev.evomerge.diag.Requires;
import java.nio.file.Path;

/**
 * A model reference and the local directory it resolved to. Immutable.
 *
 * @param reference what the user wrote
 * @param directory the model directory (config.json, weights, tokenizer)
 * @param fromHubCache whether it was found in the Hugging Face cache rather than as a local path
 */
public record ResolvedModel(ModelReference reference, Path directory, boolean fromHubCache) {

    public ResolvedModel {
        Requires.nonNull("reference, directory", reference, directory);
    }

    /** The directory's {@code config.json}. */
    public Path configFile() {
        return directory.resolve("config.json");
    }
}
