package dev.evomerge.model;

import com.fasterxml.jackson.databind.JsonNode;
import dev.evomerge.json.JsonTrees;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The registry of model families evomerge knows: an explicit list ({@link #KNOWN}) of data files
 * {@code dev/evomerge/model/architectures/NAME.json}, written in mergekit's architecture schema
 * ({@code model_type}, {@code architectures}, {@code pre_weights}, {@code layer_templates.weights},
 * {@code post_weights}, {@code num_layers_config_key}; each weight with {@code name}, {@code is_embed},
 * {@code optional}, {@code aliases}, {@code tied_names}), plus {@code tie_word_embeddings_default}. It picks the
 * family a {@code config.json} names, and hands anything else to {@link ArchitectureInference} (mergekit's
 * {@code auto}).
 *
 * {@snippet :
 * Architectures families = Architectures.builtIn();
 * Architecture arch = families.forConfig(config).orElseGet(() -> Architectures.infer(List.of(tensorNames)));
 * }
 *
 * <p>Immutable and thread-safe. No classpath scanning: a new family is a data file plus a line in {@link #KNOWN}.
 */
public final class Architectures {

    /** The families with data files, in lookup order. */
    public static final List<String> KNOWN = List.of("llama", "mistral", "qwen2", "qwen3", "gemma2");

    private final List<Architecture> all;

    private Architectures(List<Architecture> all) {
        this.all = List.copyOf(all);
    }

    /** Loads the built-in families. */
    public static Architectures builtIn() {
        List<Architecture> list = new ArrayList<>();
        for (String name : KNOWN) {
            String resource = "architectures/" + name + ".json";
            try (InputStream in = Architectures.class.getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException("missing resource dev/evomerge/model/" + resource);
                }
                list.add(parse(name, JsonTrees.LENIENT.read(in)));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read dev/evomerge/model/" + resource, e);
            }
        }
        return new Architectures(list);
    }

    /** Reads one family from its data file's JSON. Malformed built-in data is a bug, so it throws unchecked. */
    static Architecture parse(String name, JsonNode n) {
        JsonNode templates = n.path("layer_templates").path("weights");
        if (!n.path("model_type").isTextual() || !templates.isArray()) {
            throw new IllegalStateException("architecture " + name + ": needs model_type and layer_templates.weights");
        }
        return new Architecture(name, n.get("model_type").textValue(), strings(n.path("architectures")),
                weights(name, n.path("pre_weights")), weights(name, templates), weights(name, n.path("post_weights")),
                n.path("num_layers_config_key").asText("num_hidden_layers"), OptionalInt.empty(),
                n.path("tie_word_embeddings_default").asBoolean(false));
    }

    private static List<String> strings(JsonNode n) {
        List<String> out = new ArrayList<>();
        n.forEach(x -> out.add(x.asText()));
        return out;
    }

    private static List<WeightInfo> weights(String arch, JsonNode n) {
        List<WeightInfo> out = new ArrayList<>();
        for (JsonNode w : n) {
            if (!w.path("name").isTextual()) {
                throw new IllegalStateException("architecture " + arch + ": a weight has no name: " + w);
            }
            out.add(new WeightInfo(w.get("name").textValue(), w.path("is_embed").asBoolean(false),
                    w.path("optional").asBoolean(false), strings(w.path("aliases")), strings(w.path("tied_names"))));
        }
        return out;
    }

    /** Every known family, in {@link #KNOWN} order. */
    public List<Architecture> all() {
        return all;
    }

    /** The family with this name ({@code llama}, {@code qwen2}, ...). */
    public Optional<Architecture> byName(String name) {
        return all.stream().filter(a -> a.name().equals(name)).findFirst();
    }

    /**
     * The family a config selects, as mergekit does: {@code architectures[0]} looked up among the families' class
     * names, several matches told apart by {@code model_type}. A config without {@code architectures} is matched
     * by {@code model_type} alone. Empty when no known family fits (then infer the layout from the tensors).
     */
    public Optional<Architecture> forConfig(ModelConfig config) {
        List<String> classes = config.architectures();
        Optional<String> type = config.modelType();
        if (classes.isEmpty()) {
            return type.flatMap(t -> all.stream().filter(a -> a.modelType().equals(t)).findFirst());
        }
        List<Architecture> matches = all.stream().filter(a -> a.architectures().contains(classes.get(0))).toList();
        if (matches.size() > 1 && type.isPresent()) {
            Optional<Architecture> byType = matches.stream().filter(a -> a.modelType().equals(type.get())).findFirst();
            if (byType.isPresent()) {
                return byType;
            }
        }
        return matches.stream().findFirst();
    }

    /**
     * The layout of models no known family fits, inferred from their tensor names (mergekit's {@code auto}); see
     * {@link ArchitectureInference#infer}.
     *
     * @param tensorNamesPerModel each model's tensor names
     */
    public static Architecture infer(List<? extends Collection<String>> tensorNamesPerModel) {
        return ArchitectureInference.infer(tensorNamesPerModel);
    }
}
