package dev.evomerge.infer.family;

import dev.evomerge.model.ModelConfig;
import java.util.Collections;
import java.util.List;

/**
 * Mistral (transformers {@code modeling_mistral.py}): no biases; when {@code sliding_window} is set, every layer's
 * queries see only that many most recent positions (themselves included).
 *
 * <p>Stateless and thread-safe.
 */
public final class MistralFamily implements ModelFamily {

    @Override
    public String name() {
        return "mistral";
    }

    @Override
    public List<String> modelTypes() {
        return List.of("mistral");
    }

    @Override
    public TransformerConfig read(ModelConfig config) {
        int window = config.integer("sliding_window").orElse(0);
        return ConfigFields.read(config, name(), new ConfigFields.Switches(config.headDim(),
                Collections.nCopies(ConfigFields.layers(config), window), false, false, false, false));
    }
}
