package dev.evomerge.infer.family;

import dev.evomerge.model.ModelConfig;
import java.util.List;

/**
 * Llama (transformers {@code modeling_llama.py}): optional biases on every attention projection
 * ({@code attention_bias}) and on the MLP ({@code mlp_bias}), full attention in every layer.
 *
 * <p>Stateless and thread-safe.
 */
public final class LlamaFamily implements ModelFamily {

    @Override
    public String name() {
        return "llama";
    }

    @Override
    public List<String> modelTypes() {
        return List.of("llama");
    }

    @Override
    public TransformerConfig read(ModelConfig config) {
        boolean attentionBias = ConfigFields.flag(config, "attention_bias", false);
        return ConfigFields.read(config, name(), new ConfigFields.Switches(config.headDim(),
                TransformerConfig.fullAttention(ConfigFields.layers(config)), attentionBias, attentionBias,
                ConfigFields.flag(config, "mlp_bias", false), false));
    }
}
