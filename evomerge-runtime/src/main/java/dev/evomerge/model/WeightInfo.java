package dev.evomerge.model;

import java.util.List;
import java.util.Objects;

/**
 * One weight of an architecture, as mergekit's architecture data describes it. For layer weights the name is a
 * template with {@code {layer}} where the layer index goes. Immutable.
 *
 * @param name the tensor name or template, e.g. {@code model.layers.{layer}.mlp.down_proj.weight}
 * @param embed whether it is indexed by vocabulary (embeddings, lm_head): shape rules and tokenizers treat these
 *     specially
 * @param optional whether a model may lack it (lm_head of a tied model)
 * @param aliases other names the same tensor is stored under in some checkpoints
 * @param tiedNames names to read instead when the tensor itself is absent (lm_head falls back to the embeddings)
 */
public record WeightInfo(String name, boolean embed, boolean optional, List<String> aliases, List<String> tiedNames) {

    public WeightInfo {
        Objects.requireNonNull(name, "name");
        aliases = List.copyOf(aliases);
        tiedNames = List.copyOf(tiedNames);
    }

    public static WeightInfo of(String name) {
        return new WeightInfo(name, false, false, List.of(), List.of());
    }

    /** This weight with {@code {layer}} replaced by a layer index. */
    public WeightInfo forLayer(int layer) {
        String l = Integer.toString(layer);
        return new WeightInfo(name.replace("{layer}", l), embed, optional,
                aliases.stream().map(a -> a.replace("{layer}", l)).toList(),
                tiedNames.stream().map(a -> a.replace("{layer}", l)).toList());
    }
}
