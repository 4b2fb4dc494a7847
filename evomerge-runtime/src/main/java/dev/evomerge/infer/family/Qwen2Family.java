package dev.evomerge.infer.family;

import dev.evomerge.model.ModelConfig;
import java.util.List;

/**
 * Qwen2 (transformers {@code modeling_qwen2.py}): biases on q_proj, k_proj and v_proj (not o_proj), and sliding
 * windows only where {@code use_sliding_window} and {@code layer_types} (or {@code max_window_layers}) put them.
 *
 * <p>Stateless and thread-safe.
 */
public final class Qwen2Family implements ModelFamily {

    @Override
    public String name() {
        return "qwen2";
    }

    @Override
    public List<String> modelTypes() {
        return List.of("qwen2");
    }

    @Override
    public TransformerConfig read(ModelConfig config) {
        return ConfigFields.read(config, name(), new ConfigFields.Switches(config.headDim(),
                ConfigFields.qwenSlidingWindows(config), true, false, false, false));
    }
}
