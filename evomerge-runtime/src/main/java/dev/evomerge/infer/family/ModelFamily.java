package dev.evomerge.infer.family;

import dev.evomerge.model.ModelConfig;
import java.util.List;

/**
 * A model family the forward pass runs: how its {@code config.json} maps onto a {@link TransformerConfig}. {@link
 * ModelFamilies} lists the supported ones, each following its transformers {@code modeling_*.py}.
 *
 * <p>Implementations are stateless and thread-safe.
 */
public interface ModelFamily {

    /** The family name, e.g. {@code qwen2}. */
    String name();

    /** The {@code model_type} values of {@code config.json} this family reads. */
    List<String> modelTypes();

    /**
     * The hyper-parameters in {@code config}.
     *
     * @throws dev.evomerge.diag.InputException naming the config file when a value is missing, malformed, or asks
     *     for something the forward pass does not do (another activation, an unsupported rope scaling)
     */
    TransformerConfig read(ModelConfig config);
}
