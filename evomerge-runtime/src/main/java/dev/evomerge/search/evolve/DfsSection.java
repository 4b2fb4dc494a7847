package dev.evomerge.search.evolve;

import dev.evomerge.config.ModelSpec;
import dev.evomerge.diag.Requires;
import dev.evomerge.diag.SourceLocation;
import dev.evomerge.search.space.DataFlowSettings;
import java.util.List;
import java.util.Optional;

/**
 * The {@code dfs:} section: the models whose layers a path may use (model A first) and the space's settings.
 * Immutable.
 *
 * @param models the listed models in order; {@code ps} stands for the parameter-space stage's result
 * @param settings repeats, scaling, constraints and initial bias
 * @param location where the section is written
 */
public record DfsSection(List<Entry> models, DataFlowSettings settings, SourceLocation location) {

    public DfsSection {
        models = List.copyOf(models);
        Requires.nonNull("settings, location", settings, location);
    }

    /** Whether {@code ps} is among the models. */
    public boolean usesPsResult() {
        return models.stream().anyMatch(Entry::isPsResult);
    }

    /**
     * One model of the list.
     *
     * @param model the model, or empty for {@code ps} (the parameter-space stage's result)
     * @param location where it is written
     */
    public record Entry(Optional<ModelSpec> model, SourceLocation location) {

        /** The name that stands for the parameter-space result. */
        public static final String PS_RESULT = "ps";

        public Entry {
            Requires.nonNull("model, location", model, location);
        }

        public boolean isPsResult() {
            return model.isEmpty();
        }
    }
}
