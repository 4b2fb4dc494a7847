package dev.evomerge.model;

import java.util.List;
import java.util.Objects;

/**
 * One weight of an architecture, as mergekit's architecture data describes it. For layer weights the name is a
 * template: {@code ${layer_index}} stands for the layer index (and {@code ${num_layers}}, with {@code +1}/{@code -1}
 * variants of both, as in mergekit's data files); {@link #expand} fills them in. Immutable.
 *
 * @param name the tensor name or template, e.g. {@code model.layers.${layer_index}.mlp.down_proj.weight}
 * @param embed whether it is indexed by vocabulary (embeddings, lm_head): mergekit's {@code is_embed}; shape rules
 *     and tokenizer surgery treat these specially
 * @param optional whether a model may lack it (lm_head of a tied model); the planner writes it only when at least
 *     one input has it under its name or an alias
 * @param aliases other names the same tensor is stored under in some checkpoints, tried after the name
 * @param tiedNames names to read when neither the name nor an alias is present (lm_head falls back to the
 *     embeddings); they do not count as having the weight
 */
public record WeightInfo(String name, boolean embed, boolean optional, List<String> aliases, List<String> tiedNames) {

    public WeightInfo {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("weight name is empty");
        }
        aliases = List.copyOf(aliases);
        tiedNames = List.copyOf(tiedNames);
    }

    /** A required, non-embedding weight with no other names. */
    public static WeightInfo of(String name) {
        return new WeightInfo(name, false, false, List.of(), List.of());
    }

    /** Every name to try when reading this weight, in mergekit's order: the name, its aliases, its tied names. */
    public List<String> lookupNames() {
        return java.util.stream.Stream.of(List.of(name), aliases, tiedNames).flatMap(List::stream).toList();
    }

    /**
     * This weight with its templates filled in.
     *
     * @param layerIndex the layer, or -1 for a weight outside the layers (which must not mention the layer index)
     * @param numLayers the model's layer count
     * @throws IllegalArgumentException if a template names a placeholder it may not use, or an unknown one
     */
    public WeightInfo expand(int layerIndex, int numLayers) {
        return new WeightInfo(substitute(name, layerIndex, numLayers), embed, optional,
                aliases.stream().map(a -> substitute(a, layerIndex, numLayers)).toList(),
                tiedNames.stream().map(a -> substitute(a, layerIndex, numLayers)).toList());
    }

    /** Whether the name (or an alias or tied name) mentions the layer index. */
    public boolean isLayerTemplate() {
        return lookupNames().stream().anyMatch(n -> n.contains("${layer_index"));
    }

    /** Fills mergekit's placeholders into one template. */
    static String substitute(String template, int layerIndex, int numLayers) {
        if (!template.contains("${")) {
            return template;
        }
        StringBuilder out = new StringBuilder();
        int at = 0;
        while (true) {
            int open = template.indexOf("${", at);
            if (open < 0) {
                return out.append(template, at, template.length()).toString();
            }
            int close = template.indexOf('}', open);
            if (close < 0) {
                throw new IllegalArgumentException("unclosed placeholder in weight template '" + template + "'");
            }
            out.append(template, at, open).append(value(template, template.substring(open + 2, close), layerIndex,
                    numLayers));
            at = close + 1;
        }
    }

    private static int value(String template, String key, int layerIndex, int numLayers) {
        boolean layer = key.startsWith("layer_index");
        if (layer && layerIndex < 0) {
            throw new IllegalArgumentException("weight template '" + template + "' uses ${" + key
                    + "} outside the layers");
        }
        return switch (key) {
            case "layer_index" -> layerIndex;
            case "layer_index+1" -> layerIndex + 1;
            case "layer_index-1" -> layerIndex - 1;
            case "num_layers" -> numLayers;
            case "num_layers+1" -> numLayers + 1;
            case "num_layers-1" -> numLayers - 1;
            default -> throw new IllegalArgumentException("unknown placeholder ${" + key + "} in weight template '"
                    + template + "'");
        };
    }
}
