package dev.evomerge.infer.family;

import dev.evomerge.model.ModelConfig;
import java.util.List;

/**
 * Qwen3 (transformers {@code modeling_qwen3.py}): an RMSNorm over each query and key head before the rotation,
 * optional biases on every attention projection ({@code attention_bias}), a {@code head_dim} of its own, and Qwen2's
 * sliding-window rules.
 *
 * <p>Stateless and thread-safe.
 */
public final class Qwen3Family implements ModelFamily {

    @Override
    public String name() {
        return "qwen3";
    }

    @Override
    public List<String> modelTypes() {
        return List.of("qwen3");
    }

    @Override
    public TransformerConfig read(ModelConfig config) {
        boolean attentionBias = ConfigFields.flag(config, "attention_bias", false);
        return ConfigFields.read(config, name(), new ConfigFields.Switches(config.integer("head_dim").orElse(128),
                ConfigFields.qwenSlidingWindows(config), attentionBias, attentionBias, false, true));
    }
}
