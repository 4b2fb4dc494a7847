package dev.evomerge.infer.family;

import dev.evomerge.diag.InputException;
import dev.evomerge.model.ModelConfig;
import java.util.List;
import java.util.Optional;

/**
 * The explicit list of families the forward pass runs, and the lookup by {@code model_type}.
 *
 * <p>Stateless and thread-safe.
 */
public final class ModelFamilies {

    /** Every supported family, in the order error messages list them. */
    public static final List<ModelFamily> ALL = List.of(new LlamaFamily(), new MistralFamily(), new Qwen2Family(),
            new Qwen3Family());

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
}
