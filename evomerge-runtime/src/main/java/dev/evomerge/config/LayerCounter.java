package dev.evomerge.config;

/**
 * Gives the number of transformer layers of a model, from its {@code config.json} (for example
 * {@code num_hidden_layers}). The config package does not read model files; the planner supplies this when it
 * normalises a config. Implementations report unreadable or missing files themselves.
 */
@FunctionalInterface
public interface LayerCounter {

    /** The layer count of {@code model} (its architecture override, if any, already applies). */
    int layerCount(ModelSpec model);
}
