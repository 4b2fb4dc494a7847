package dev.evomerge.search.space;

import dev.evomerge.config.ModelSpec;
import dev.evomerge.diag.ConfigException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * The checks a {@code genome:} section must pass before its space is built: mergekit-evolve's own assertions
 * (method, base model, slerp's limits, layer groups), and those whose failure mergekit-evolve would only meet later,
 * inside a merge (an empty or repeated model, slerp over a base model it cannot use). Each failure is a
 * {@link ConfigException} at the key at fault. Stateless.
 */
final class ParameterSpaceRules {

    private ParameterSpaceRules() {
    }

    /** Checks {@code definition} for models of {@code layers} layers and returns its method. */
    static PsMethod check(GenomeDefinition definition, int layers) {
        List<ModelSpec> models = definition.models();
        if (models.isEmpty()) {
            throw new ConfigException(definition.locationOf("models"), "genome.models is empty",
                    "list the models whose merge parameters are searched");
        }
        Set<ModelSpec> seen = new HashSet<>();
        for (ModelSpec m : models) {
            if (!seen.add(m)) {
                throw new ConfigException(definition.locationOf("models"), "model '" + m
                        + "' is listed twice in genome.models", "list each model once");
            }
        }
        PsMethod method = PsMethod.byName(definition.mergeMethod()).orElseThrow(() -> new ConfigException(
                definition.locationOf("merge_method"), "merge_method '" + definition.mergeMethod()
                        + "' cannot be searched in parameter space", "use one of " + PsMethod.names()));
        if (method.needsBase() && definition.baseModel().isEmpty()) {
            throw new ConfigException(definition.locationOf("merge_method"), "merge_method " + method.name()
                    + " needs a base_model (its task vectors are taken against it)",
                    "add base_model: with the model the others were fine-tuned from");
        }
        if (method.isSlerp()) {
            checkSlerp(definition);
        }
        for (String filter : definition.filters()) {
            if (filter.isEmpty()) {
                throw new ConfigException(definition.locationOf("filters"), "genome.filters has an empty filter",
                        "a filter is a part of tensor names such as self_attn or mlp");
            }
        }
        int granularity = definition.layerGranularity();
        if (granularity < 0) {
            throw new ConfigException(definition.locationOf("layer_granularity"), "layer_granularity is "
                    + granularity, "use 0 for one parameter set over all layers, or a divisor of " + layers);
        }
        if (granularity > 0 && layers % granularity != 0) {
            throw new ConfigException(definition.locationOf("layer_granularity"), "layer_granularity " + granularity
                    + " does not divide the " + layers + " layers of " + models.getFirst(),
                    "use a divisor of " + layers + " (" + divisors(layers) + "), or 0 for one group");
        }
        return method;
    }

    private static void checkSlerp(GenomeDefinition definition) {
        if (definition.smooth()) {
            throw new ConfigException(definition.locationOf("smooth"), "slerp cannot be searched with smooth: true",
                    "remove smooth, or use another merge_method");
        }
        if (!definition.filters().isEmpty()) {
            throw new ConfigException(definition.locationOf("filters"), "slerp cannot be searched with filters",
                    "remove filters, or use another merge_method");
        }
        if (definition.models().size() < 2) {
            throw new ConfigException(definition.locationOf("models"), "slerp needs at least two models in"
                    + " genome.models, got " + definition.models().size(), "add the models to interpolate between");
        }
        definition.baseModel().filter(base -> !definition.models().contains(base)).ifPresent(base -> {
            // mergekit-evolve would add it to every slice as a third source, which slerp refuses
            throw new ConfigException(definition.locationOf("base_model"), "slerp merges two models per slice,"
                    + " but base_model '" + base + "' is not among genome.models and would be a third",
                    "remove base_model (each slice's base is the model with the larger gene), or list it in models");
        });
    }

    private static String divisors(int n) {
        return String.join(", ", IntStream.rangeClosed(1, n).filter(d -> n % d == 0).mapToObj(Integer::toString)
                .toList());
    }
}
