package dev.evomerge.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The weight layout of a decoder-only model family: weights before the layers (embeddings), the per-layer
 * templates, weights after the layers (final norm, lm_head), and the {@code config.json} key holding the layer
 * count. Loaded from data files for known families, or inferred from tensor names. Immutable.
 *
 * @param name the family name, e.g. {@code llama}, or {@code auto} for an inferred layout
 * @param modelTypes the {@code model_type} values it covers
 * @param architectures the transformers class names it covers
 * @param preWeights weights before the first layer
 * @param layerWeights per-layer weight templates (with {@code {layer}})
 * @param postWeights weights after the last layer
 * @param layerCountKey the dotted {@code config.json} key of the layer count
 * @param tiedEmbeddingsByDefault what {@code tie_word_embeddings} means when config.json leaves it out
 */
public record Architecture(String name, List<String> modelTypes, List<String> architectures,
        List<WeightInfo> preWeights, List<WeightInfo> layerWeights, List<WeightInfo> postWeights,
        String layerCountKey, boolean tiedEmbeddingsByDefault) {

    private static final Pattern LAYER = Pattern.compile("\\.(\\d+)\\.");

    public Architecture {
        Objects.requireNonNull(name, "name");
        modelTypes = List.copyOf(modelTypes);
        architectures = List.copyOf(architectures);
        preWeights = List.copyOf(preWeights);
        layerWeights = List.copyOf(layerWeights);
        postWeights = List.copyOf(postWeights);
        Objects.requireNonNull(layerCountKey, "layerCountKey");
    }

    /** The weights of one layer, with the index filled in. */
    public List<WeightInfo> layer(int index) {
        return layerWeights.stream().map(w -> w.forLayer(index)).toList();
    }

    /** Every weight of a model with {@code layers} layers: pre, then each layer's, then post. */
    public List<WeightInfo> weights(int layers) {
        List<WeightInfo> all = new ArrayList<>(preWeights);
        for (int i = 0; i < layers; i++) {
            all.addAll(layer(i));
        }
        all.addAll(postWeights);
        return all;
    }

    /** The layer index a tensor name belongs to (the first {@code .N.} in it), if any. */
    public static Optional<Integer> layerIndexOf(String tensorName) {
        Matcher m = LAYER.matcher(tensorName);
        return m.find() ? Optional.of(Integer.parseInt(m.group(1))) : Optional.empty();
    }

    /** The template of a layer tensor name: its first {@code .N.} replaced by {@code .{layer}.}. */
    public static String templateOf(String tensorName) {
        return LAYER.matcher(tensorName).replaceFirst(".{layer}.");
    }
}
