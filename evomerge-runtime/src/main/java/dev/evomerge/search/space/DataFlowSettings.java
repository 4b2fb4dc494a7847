package dev.evomerge.search.space;

import dev.evomerge.config.MergeConfig;
import dev.evomerge.diag.Requires;
import dev.evomerge.diag.SourceLocation;
import java.util.Map;

/**
 * The {@code dfs:} section of an evolve config without its model list: how often the layer block repeats, how
 * scales are searched, whether the paper's constraints hold, and how strongly the start favours model A. Only the
 * shape of the values is checked here; {@link DataFlowSpace#of} checks what they mean and reports mistakes at the
 * key's location. Immutable.
 *
 * @param repeats r, how often the stacked layers of all models are repeated (T = M·r slots)
 * @param scaling how scales are searched
 * @param constraints whether paths start with A's first layer, end with A's last and take embeddings and head
 *     from A
 * @param initialBias A's first-repeat indicators start at {@code initialBias·σ0}
 * @param location where the section is written
 * @param keyLocations where each key is written, for messages (a missing key falls back to {@code location})
 */
public record DataFlowSettings(int repeats, Scaling scaling, boolean constraints, double initialBias,
        SourceLocation location, Map<String, SourceLocation> keyLocations) {

    /** The defaults: {@code repeats: 3}, {@code scaling: matrix}, {@code constraints: true}, {@code initial_bias: 2}. */
    public static final DataFlowSettings DEFAULTS = new DataFlowSettings(3, Scaling.MATRIX, true, 2.0,
            MergeConfig.GENERATED, Map.of());

    public DataFlowSettings {
        Requires.nonNull("scaling, location", scaling, location);
        keyLocations = Map.copyOf(keyLocations);
    }

    /** Where {@code key} is written, or the section's location when the key is not written. */
    public SourceLocation locationOf(String key) {
        return keyLocations.getOrDefault(key, location);
    }

    public DataFlowSettings withRepeats(int r) {
        return new DataFlowSettings(r, scaling, constraints, initialBias, location, keyLocations);
    }

    public DataFlowSettings withScaling(Scaling s) {
        return new DataFlowSettings(repeats, s, constraints, initialBias, location, keyLocations);
    }

    public DataFlowSettings withConstraints(boolean on) {
        return new DataFlowSettings(repeats, scaling, on, initialBias, location, keyLocations);
    }

    public DataFlowSettings withInitialBias(double bias) {
        return new DataFlowSettings(repeats, scaling, constraints, bias, location, keyLocations);
    }

    /** The same settings, written at {@code where} with the given key positions. */
    public DataFlowSettings at(SourceLocation where, Map<String, SourceLocation> keys) {
        return new DataFlowSettings(repeats, scaling, constraints, initialBias, where, keys);
    }
}
