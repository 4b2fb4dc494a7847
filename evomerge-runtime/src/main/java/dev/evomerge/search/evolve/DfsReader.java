package dev.evomerge.search.evolve;

import static dev.evomerge.search.evolve.EvolveValues.atLeast;
import static dev.evomerge.search.evolve.EvolveValues.finite;
import static dev.evomerge.search.evolve.EvolveValues.nonEmptyList;
import static dev.evomerge.search.evolve.EvolveValues.section;

import dev.evomerge.config.ModelSpecReader;
import dev.evomerge.config.YamlEnums;
import dev.evomerge.config.YamlMapping;
import dev.evomerge.config.YamlNode;
import dev.evomerge.config.YamlScalar;
import dev.evomerge.event.EventListener;
import dev.evomerge.search.space.DataFlowSettings;
import dev.evomerge.search.space.Scaling;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads the {@code dfs:} section of an {@code evolve.yml} (the data-flow space): the models a path may use,
 * {@code ps} standing for the parameter-space result, and the space's settings. Stateless.
 */
final class DfsReader {

    private static final List<String> DFS_KEYS = List.of("models", "repeats", "scaling", "constraints",
            "initial_bias");

    private DfsReader() {
    }

    /** The data-flow space the {@code dfs:} mapping {@code node} defines. */
    static DfsSection read(YamlNode node, EventListener events) {
        YamlMapping m = section(node, "dfs");
        m.warnUnknownKeys(DFS_KEYS, events);
        YamlNode modelsNode = m.getNonNull("models").orElseThrow(() -> m.error("'dfs.models' is required",
                "list the models whose layers a path may use, model A first ('ps' for the parameter-space result)"));
        List<DfsSection.Entry> entries = new ArrayList<>();
        for (YamlNode item : nonEmptyList(modelsNode, "dfs.models")) {
            if (item instanceof YamlScalar s && s.type() == YamlScalar.Type.STRING
                    && s.text().equals(DfsSection.Entry.PS_RESULT)) {
                if (entries.stream().anyMatch(DfsSection.Entry::isPsResult)) {
                    throw s.error("'ps' is listed twice", "list the parameter-space result once");
                }
                entries.add(new DfsSection.Entry(Optional.empty(), s.location()));
            } else {
                entries.add(new DfsSection.Entry(Optional.of(ModelSpecReader.read(item, events)), item.location()));
            }
        }
        DataFlowSettings s = DataFlowSettings.DEFAULTS;
        Optional<YamlNode> repeats = m.getNonNull("repeats");
        if (repeats.isPresent()) {
            s = s.withRepeats(atLeast(repeats.get().asScalar(), "repeats", 1, 1000,
                    "give how often the layers of all models are repeated, for example 3"));
        }
        Optional<YamlNode> scaling = m.getNonNull("scaling");
        if (scaling.isPresent()) {
            YamlScalar v = scaling.get().asScalar();
            s = s.withScaling(YamlEnums.parse(Scaling.class, v.asString(), "dfs.scaling", v.location()));
        }
        Optional<YamlNode> constraints = m.getNonNull("constraints");
        if (constraints.isPresent()) {
            s = s.withConstraints(constraints.get().asScalar().asBoolean());
        }
        Optional<YamlNode> bias = m.getNonNull("initial_bias");
        if (bias.isPresent()) {
            s = s.withInitialBias(finite(bias.get().asScalar(), "initial_bias",
                    "give a number of sigma0 steps, for example 2.0"));
        }
        return new DfsSection(entries, s.at(m.location(), m.keyLocations()), m.location());
    }
}
