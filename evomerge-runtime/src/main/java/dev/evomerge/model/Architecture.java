package dev.evomerge.model;

import dev.evomerge.diag.Requires;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The weight layout of a decoder-only model family, as mergekit's architecture data describes one module: weights
 * before the layers (embeddings), the per-layer templates, weights after the layers (final norm, lm_head), and the
 * {@code config.json} key holding the layer count. Loaded from data files for known families
 * ({@link Architectures}), or inferred from tensor names ({@link ArchitectureInference}).
 *
 * {@snippet :
 * Architecture llama = Architectures.builtIn().byName("llama").orElseThrow();
 * List<WeightInfo> all = llama.weights(llama.layerCount(config)); // embed, layer 0 ..., layer L-1 ..., norm, lm_head
 * }
 *
 * <p>Immutable and thread-safe.
 *
 * @param name the family name, e.g. {@code llama}, or {@code auto} for an inferred layout
 * @param modelType the {@code config.json} {@code model_type} it is meant for (empty for {@code auto})
 * @param architectures the transformers class names ({@code config.architectures[0]}) that select it
 * @param preWeights weights before the first layer, in mergekit's order
 * @param layerTemplates per-layer weight templates (with {@code ${layer_index}}), in mergekit's order
 * @param postWeights weights after the last layer, in mergekit's order
 * @param layerCountKey the dotted {@code config.json} key of the layer count, e.g. {@code num_hidden_layers}
 * @param fixedLayerCount a layer count that overrides the config (mergekit's {@code override_num_layers}; set for
 *     inferred layouts)
 * @param tiedEmbeddingsByDefault what transformers assumes for {@code tie_word_embeddings} when config.json leaves
 *     it out (true for gemma2)
 */
public record Architecture(String name, String modelType, List<String> architectures, List<WeightInfo> preWeights,
        List<WeightInfo> layerTemplates, List<WeightInfo> postWeights, String layerCountKey,
        OptionalInt fixedLayerCount, boolean tiedEmbeddingsByDefault) {

    /** The name of inferred layouts. */
    public static final String AUTO = "auto";

    private static final Pattern LAYER = Pattern.compile("\\.(\\d+)\\.");

    public Architecture {
        Requires.nonNull("name, modelType, layerCountKey, fixedLayerCount",
                name, modelType, layerCountKey, fixedLayerCount);
        architectures = List.copyOf(architectures);
        preWeights = List.copyOf(preWeights);
        layerTemplates = List.copyOf(layerTemplates);
        postWeights = List.copyOf(postWeights);
        if (fixedLayerCount.isPresent() && fixedLayerCount.getAsInt() < 0) {
            throw new IllegalArgumentException("fixed layer count must be >= 0, got " + fixedLayerCount.getAsInt());
        }
        for (WeightInfo w : preWeights) {
            requireNotLayer(name, w);
        }
        for (WeightInfo w : postWeights) {
            requireNotLayer(name, w);
        }
    }

    private static void requireNotLayer(String arch, WeightInfo w) {
        if (w.isLayerTemplate()) {
            throw new IllegalArgumentException("architecture " + arch + ": weight '" + w.name()
                    + "' outside the layers uses ${layer_index}");
        }
    }

    /** Whether this layout was inferred from tensor names rather than read from a data file. */
    public boolean isInferred() {
        return name.equals(AUTO);
    }

    /** The layer count of a model with this config: the fixed count if there is one, else the config key's value. */
    public int layerCount(ModelConfig config) {
        return fixedLayerCount.isPresent() ? fixedLayerCount.getAsInt() : config.requireInt(layerCountKey);
    }

    /** The weights of layer {@code index} of a model with {@code layerCount} layers, in template order. */
    public List<WeightInfo> layer(int index, int layerCount) {
        if (index < 0 || index >= layerCount) {
            throw new IllegalArgumentException("layer " + index + " is outside [0, " + layerCount + ")");
        }
        return layerTemplates.stream().map(w -> w.expand(index, layerCount)).toList();
    }

    /** Every weight of a model with {@code layerCount} layers: pre, then layer 0, 1, ..., then post. */
    public List<WeightInfo> weights(int layerCount) {
        if (layerCount < 0) {
            throw new IllegalArgumentException("layer count must be >= 0, got " + layerCount);
        }
        List<WeightInfo> all = new ArrayList<>();
        preWeights.forEach(w -> all.add(w.expand(-1, layerCount)));
        for (int i = 0; i < layerCount; i++) {
            all.addAll(layer(i, layerCount));
        }
        postWeights.forEach(w -> all.add(w.expand(-1, layerCount)));
        return all;
    }

    /** The canonical tensor names of {@link #weights(int)}, in the same order. */
    public List<String> tensorNames(int layerCount) {
        return weights(layerCount).stream().map(WeightInfo::name).toList();
    }

    /** The layer index a tensor name belongs to: the number in its first {@code .N.}, if any (mergekit's rule). */
    public static OptionalInt layerIndexOf(String tensorName) {
        Matcher m = LAYER.matcher(tensorName);
        return m.find() ? OptionalInt.of(Integer.parseInt(m.group(1))) : OptionalInt.empty();
    }

    /** The template of a layer tensor name: its first {@code .N.} replaced by {@code .${layer_index}.}. */
    public static String templateOf(String tensorName) {
        return LAYER.matcher(tensorName).replaceFirst(Matcher.quoteReplacement(".${layer_index}."));
    }
}
