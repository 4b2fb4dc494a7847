package dev.evomerge.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.evomerge.diag.InputException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The model families evomerge knows, as an explicit list of data files
 * ({@code dev/evomerge/model/architectures/NAME.json}), how a model's {@code config.json} selects one, and the
 * layout inference from tensor names that mergekit calls {@code auto} for everything else.
 *
 * <p>Immutable and thread-safe.
 */
public final class Architectures {

    /** The families with data files, in lookup order. */
    public static final List<String> KNOWN = List.of("llama", "mistral", "qwen2", "qwen3", "gemma2");

    private static final Pattern EMBED = Pattern.compile("(^|\\.)(embed_tokens|wte|word_embeddings|embed_in"
            + "|embed_out|lm_head)(\\.|$)");

    private final List<Architecture> all;

    private Architectures(List<Architecture> all) {
        this.all = List.copyOf(all);
    }

    /** Loads the built-in families. */
    public static Architectures builtIn() {
        List<Architecture> list = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        for (String name : KNOWN) {
            String resource = "architectures/" + name + ".json";
            try (InputStream in = Architectures.class.getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException("missing resource " + resource);
                }
                list.add(parse(json.readTree(in)));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + resource, e);
            }
        }
        return new Architectures(list);
    }

    static Architecture parse(JsonNode n) {
        return new Architecture(n.get("name").asText(), strings(n.get("model_types")), strings(n.get("architectures")),
                weights(n.get("pre_weights")), weights(n.get("layer_weights")), weights(n.get("post_weights")),
                n.path("layer_count_key").asText("num_hidden_layers"),
                n.path("tie_word_embeddings_default").asBoolean(false));
    }

    private static List<String> strings(JsonNode n) {
        List<String> out = new ArrayList<>();
        if (n != null) {
            n.forEach(x -> out.add(x.asText()));
        }
        return out;
    }

    private static List<WeightInfo> weights(JsonNode n) {
        List<WeightInfo> out = new ArrayList<>();
        if (n == null) {
            return out;
        }
        for (JsonNode w : n) {
            if (w.isTextual()) {
                out.add(WeightInfo.of(w.asText()));
            } else {
                out.add(new WeightInfo(w.get("name").asText(), w.path("embed").asBoolean(false),
                        w.path("optional").asBoolean(false), strings(w.get("aliases")), strings(w.get("tied_names"))));
            }
        }
        return out;
    }

    /** Every known family. */
    public List<Architecture> all() {
        return all;
    }

    public Optional<Architecture> byName(String name) {
        return all.stream().filter(a -> a.name().equals(name)).findFirst();
    }

    /**
     * The family a config names through {@code architectures[0]}, told apart by {@code model_type} when several
     * families list the same class; empty when none does.
     */
    public Optional<Architecture> forConfig(ModelConfig config) {
        List<String> classes = config.architectures();
        if (classes.isEmpty()) {
            return config.modelType().flatMap(t -> all.stream().filter(a -> a.modelTypes().contains(t)).findFirst());
        }
        List<Architecture> matches = all.stream().filter(a -> a.architectures().contains(classes.get(0))).toList();
        if (matches.size() > 1) {
            Optional<String> type = config.modelType();
            return matches.stream().filter(a -> type.isPresent() && a.modelTypes().contains(type.get())).findFirst()
                    .or(() -> Optional.of(matches.get(0)));
        }
        return matches.stream().findFirst();
    }

    /**
     * The layout of models with no known family, inferred from their tensor names as mergekit's {@code auto} does:
     * the first {@code .N.} in a name marks a layer tensor (its template replaces N by {@code {layer}}); other
     * weights become pre weights (there are no post weights in this mode); a weight missing from some models is
     * optional. Embedding-like names ({@code embed_tokens}, {@code wte}, {@code lm_head}, ...) are marked as
     * embeddings.
     *
     * @param tensorNamesPerModel each model's tensor names
     */
    public static Architecture infer(List<? extends Collection<String>> tensorNamesPerModel) {
        if (tensorNamesPerModel.isEmpty()) {
            throw new IllegalArgumentException("no models to infer an architecture from");
        }
        Map<String, Integer> preCount = new TreeMap<>();
        Map<String, Integer> layerCount = new TreeMap<>();
        for (Collection<String> names : tensorNamesPerModel) {
            Set<String> templates = new TreeSet<>();
            Set<String> pre = new TreeSet<>();
            for (String name : names) {
                if (Architecture.layerIndexOf(name).isPresent()) {
                    templates.add(Architecture.templateOf(name));
                } else {
                    pre.add(name);
                }
            }
            templates.forEach(t -> layerCount.merge(t, 1, Integer::sum));
            pre.forEach(t -> preCount.merge(t, 1, Integer::sum));
        }
        int models = tensorNamesPerModel.size();
        List<WeightInfo> pre = preCount.entrySet().stream().map(e -> weight(e.getKey(), e.getValue() < models))
                .toList();
        List<WeightInfo> layer = layerCount.entrySet().stream()
                .map(e -> weight(e.getKey(), e.getValue() < models)).toList();
        if (layer.isEmpty() && pre.isEmpty()) {
            throw new InputException("cannot infer a model layout: the models have no tensors",
                    "check the model directories");
        }
        return new Architecture("auto", List.of(), List.of(), pre, layer, List.of(), "num_hidden_layers", false);
    }

    private static WeightInfo weight(String name, boolean optional) {
        return new WeightInfo(name, EMBED.matcher(name).find(), optional, List.of(), List.of());
    }
}
