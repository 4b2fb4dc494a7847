package dev.evomerge.search.evolve;

import static dev.evomerge.search.evolve.EvolveValues.atLeast;
import static dev.evomerge.search.evolve.EvolveValues.finite;
import static dev.evomerge.search.evolve.EvolveValues.nonEmptyList;
import static dev.evomerge.search.evolve.EvolveValues.section;
import static dev.evomerge.search.evolve.EvolveValues.strings;

import dev.evomerge.config.DTypeSetting;
import dev.evomerge.config.ModelSpec;
import dev.evomerge.config.ModelSpecReader;
import dev.evomerge.config.TokenizerReader;
import dev.evomerge.config.YamlEnums;
import dev.evomerge.config.YamlMapping;
import dev.evomerge.config.YamlNode;
import dev.evomerge.config.YamlScalar;
import dev.evomerge.event.EventListener;
import dev.evomerge.search.space.DataFlowSettings;
import dev.evomerge.search.space.GenomeDefinition;
import dev.evomerge.search.space.Scaling;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads the sections of an {@code evolve.yml} that define its search spaces: {@code genome:}, the parameter space as
 * mergekit-evolve writes it, into a {@link GenomeDefinition}, and {@code dfs:}, the data-flow space (the models a
 * path may use, {@code ps} standing for the parameter-space result, and the space's settings), into a
 * {@link DfsSection}. Stateless.
 */
final class SpacesReader {

    private static final List<String> GENOME_KEYS = List.of("models", "merge_method", "base_model",
            "layer_granularity", "normalize", "allow_negative_weights", "filters", "smooth", "tokenizer_source",
            "tokenizer", "dtype");
    private static final List<String> DFS_KEYS = List.of("models", "repeats", "scaling", "constraints",
            "initial_bias");

    private SpacesReader() {
    }

    /** The parameter space the {@code genome:} mapping {@code node} defines. */
    static GenomeDefinition genome(YamlNode node, EventListener events) {
        YamlMapping m = section(node, "genome");
        m.warnUnknownKeys(GENOME_KEYS, events);
        YamlNode modelsNode = m.getNonNull("models").orElseThrow(() -> m.error("'genome.models' is required",
                "list the models whose parameters are searched"));
        List<ModelSpec> models = new ArrayList<>();
        for (YamlNode item : nonEmptyList(modelsNode, "genome.models")) {
            models.add(ModelSpecReader.read(item, events));
        }
        YamlNode methodNode = m.getNonNull("merge_method").orElseThrow(() -> m.error(
                "'genome.merge_method' is required", "name a merge method, for example merge_method: dare_ties"));
        String method = methodNode.asScalar().asText("a merge method name");
        GenomeDefinition.Builder b = GenomeDefinition.builder(models, method).location(m.location());
        for (String key : m.keys()) {
            b.keyLocation(key, m.keyLocation(key));
        }
        b.keyLocation("merge_method", methodNode.location());
        m.getNonNull("base_model").ifPresent(n -> b.baseModel(ModelSpecReader.read(n, events)));
        m.getNonNull("layer_granularity").ifPresent(n -> b.layerGranularity(atLeast(n.asScalar(),
                "layer_granularity", 0, Integer.MAX_VALUE, "give the layers per group (a divisor of the layer"
                        + " count), or 0 for one parameter set for all layers")));
        m.getNonNull("normalize").ifPresent(n -> b.normalize(n.asScalar().asBoolean()));
        m.getNonNull("allow_negative_weights").ifPresent(n -> b.allowNegativeWeights(n.asScalar().asBoolean()));
        m.getNonNull("smooth").ifPresent(n -> b.smooth(n.asScalar().asBoolean()));
        m.getNonNull("filters").ifPresent(n -> b.filters(strings(n, "genome.filters", "a filter substring")));
        TokenizerReader.read(m, events).ifPresent(b::tokenizerSource);
        m.getNonNull("dtype").ifPresent(n -> b.dtype(DTypeSetting.parse(n.asScalar().asText("a dtype name such as"
                + " bfloat16"), n.location())));
        return b.build();
    }

    /** The data-flow space the {@code dfs:} mapping {@code node} defines. */
    static DfsSection dfs(YamlNode node, EventListener events) {
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
