package dev.evomerge.infer.family;

import dev.evomerge.diag.InputException;
import dev.evomerge.model.ModelConfig;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The explicit list of families the forward pass runs, and the lookup by {@code model_type}. The families differ only
 * in a few switches (biases, sliding windows, head size, query/key norms), so each is a row: its name (which is
 * also its one {@code model_type}) and how its {@code config.json} sets those switches, following its transformers
 * {@code modeling_*.py}; {@link ConfigFields} reads everything else the same way for all of them.
 *
 * <p>Stateless and thread-safe.
 */
public final class ModelFamilies {

    /** Every supported family, in the order error messages list them. */
    public static final List<ModelFamily> ALL = List.of(
            new Family("llama", ModelFamilies::llama),
            new Family("mistral", ModelFamilies::mistral),
            new Family("qwen2", ModelFamilies::qwen2),
            new Family("qwen3", ModelFamilies::qwen3));

    private ModelFamilies() {
    }

    /** The family reading {@code model_type}, if one does. */
    public static Optional<ModelFamily> byModelType(String modelType) {
        return ALL.stream().filter(f -> f.modelTypes().contains(modelType)).findFirst();
    }

    /**
     * The hyper-parameters of a model, read by the family its {@code model_type} names.
     *
     * @throws InputException naming the config file when {@code model_type} is missing or names no supported family
     */
    public static TransformerConfig read(ModelConfig config) {
        String type = config.modelType().orElseThrow(() -> new InputException(config.source(),
                "has no model_type", "check that this is a transformers causal language model config"));
        ModelFamily family = byModelType(type).orElseThrow(() -> new InputException(config.source(),
                "model_type '" + type + "' is not supported by evomerge's forward pass (supported: "
                        + String.join(", ", ALL.stream().flatMap(f -> f.modelTypes().stream()).toList()) + ")",
                "evaluate this model with an external evaluator command instead"));
        return family.read(config);
    }

    /** A family whose name is its one {@code model_type}, read with its switches. */
    private record Family(String name, Function<ModelConfig, ConfigFields.Switches> switches)
            implements ModelFamily {

        @Override
        public List<String> modelTypes() {
            return List.of(name);
        }

        @Override
        public TransformerConfig read(ModelConfig config) {
            return ConfigFields.read(config, name, switches.apply(config));
        }
    }

    /**
     * Llama (transformers {@code modeling_llama.py}): optional biases on every attention projection
     * ({@code attention_bias}) and on the MLP ({@code mlp_bias}), full attention in every layer.
     */
    private static ConfigFields.Switches llama(ModelConfig config) {
        boolean attentionBias = ConfigFields.flag(config, "attention_bias", false);
        return new ConfigFields.Switches(config.headDim(),
                TransformerConfig.fullAttention(ConfigFields.layers(config)), attentionBias, attentionBias,
                ConfigFields.flag(config, "mlp_bias", false), false);
    }

    /**
     * Mistral (transformers {@code modeling_mistral.py}): no biases; when {@code sliding_window} is set, every layer's
     * queries see only that many most recent positions (themselves included).
     */
    private static ConfigFields.Switches mistral(ModelConfig config) {
        int window = config.integer("sliding_window").orElse(0);
        return new ConfigFields.Switches(config.headDim(),
                Collections.nCopies(ConfigFields.layers(config), window), false, false, false, false);
    }

    /**
     * Qwen2 (transformers {@code modeling_qwen2.py}): biases on q_proj, k_proj and v_proj (not o_proj), and sliding
     * windows only where {@code use_sliding_window} and {@code layer_types} (or {@code max_window_layers}) put them.
     */
    private static ConfigFields.Switches qwen2(ModelConfig config) {
        return new ConfigFields.Switches(config.headDim(), ConfigFields.qwenSlidingWindows(config), true, false,
                false, false);
    }

    /**
     * Qwen3 (transformers {@code modeling_qwen3.py}): an RMSNorm over each query and key head before the rotation,
     * optional biases on every attention projection ({@code attention_bias}), a {@code head_dim} of its own, and
     * Qwen2's sliding-window rules.
     */
    private static ConfigFields.Switches qwen3(ModelConfig config) {
        boolean attentionBias = ConfigFields.flag(config, "attention_bias", false);
        return new ConfigFields.Switches(config.integer("head_dim").orElse(128),
                ConfigFields.qwenSlidingWindows(config), attentionBias, attentionBias, false, true);
    }
}
