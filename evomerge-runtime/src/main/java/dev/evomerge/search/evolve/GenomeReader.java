package dev.evomerge.search.evolve;

import static dev.evomerge.search.evolve.EvolveValues.atLeast;
import static dev.evomerge.search.evolve.EvolveValues.nonEmptyList;
import static dev.evomerge.search.evolve.EvolveValues.section;
import static dev.evomerge.search.evolve.EvolveValues.strings;

import dev.evomerge.config.DTypeSetting;
import dev.evomerge.config.ModelSpec;
import dev.evomerge.config.ModelSpecReader;
import dev.evomerge.config.TokenizerReader;
import dev.evomerge.config.YamlMapping;
import dev.evomerge.config.YamlNode;
import dev.evomerge.event.EventListener;
import dev.evomerge.search.space.GenomeDefinition;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the {@code genome:} section of an {@code evolve.yml} (the parameter space, as mergekit-evolve writes it) into
 * a {@link GenomeDefinition}. Stateless.
 */
final class GenomeReader {

    private static final List<String> GENOME_KEYS = List.of("models", "merge_method", "base_model",
            "layer_granularity", "normalize", "allow_negative_weights", "filters", "smooth", "tokenizer_source",
            "tokenizer", "dtype");

    private GenomeReader() {
    }

    /** The parameter space the {@code genome:} mapping {@code node} defines. */
    static GenomeDefinition read(YamlNode node, EventListener events) {
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
}
