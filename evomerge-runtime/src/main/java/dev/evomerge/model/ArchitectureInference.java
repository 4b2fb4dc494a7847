package dev.evomerge.model;

import dev.evomerge.diag.InputException;
import dev.evomerge.tensor.io.SafetensorsModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Infers a single-module layout from tensor names, for models no known family fits, following mergekit's
 * {@code architecture/auto.py}:
 * <ol>
 *   <li>the first {@code .N.} in a name marks a layer tensor; replacing it by {@code .${layer_index}.} gives its
 *       template, and the layer count is the largest N plus one, over all models (a fixed count, not a config key);
 *   <li>names without such a part become pre weights; there are no post weights in this mode;
 *   <li>a weight missing from some model (a template: from some layer of some model) is optional.
 * </ol>
 * mergekit also instantiates the model with transformers to find embeddings and tied weights; evomerge cannot, so a
 * weight counts as an embedding when its module name is one transformers uses for embeddings or the output head
 * ({@code embed_tokens}, {@code wte}, {@code lm_head}, ...). Layer stacks under several prefixes (vision-language
 * and encoder-decoder models, which mergekit splits into modules) are refused. Weights come out sorted by name, so
 * the result does not depend on the order of the models.
 *
 * <p>Stateless and thread-safe.
 */
public final class ArchitectureInference {

    private static final Pattern LAYER = Pattern.compile("\\.(\\d+)\\.");
    private static final Pattern EMBED = Pattern.compile("(^|\\.)(embed_tokens|embed_in|embed_out|wte|wpe"
            + "|word_embeddings|position_embeddings|token_type_embeddings|tok_embeddings|lm_head)\\.weight$");

    private ArchitectureInference() {
    }

    /**
     * The layout shared by models with these tensor names.
     *
     * @param tensorNamesPerModel each model's tensor names (at least one model)
     * @throws InputException if the models have no tensors, or several layer stacks
     */
    public static Architecture infer(List<? extends Collection<String>> tensorNamesPerModel) {
        if (tensorNamesPerModel.isEmpty()) {
            throw new IllegalArgumentException("no models to infer an architecture from");
        }
        List<Set<String>> models = tensorNamesPerModel.stream().<Set<String>>map(HashSet::new).toList();
        Map<String, Integer> layersByPrefix = new TreeMap<>();
        Set<String> templates = new TreeSet<>();
        Set<String> loose = new TreeSet<>();
        for (Set<String> names : models) {
            for (String name : names) {
                Matcher m = LAYER.matcher(name);
                if (m.find()) {
                    layersByPrefix.merge(name.substring(0, m.start()), Integer.parseInt(m.group(1)) + 1, Math::max);
                    templates.add(Architecture.templateOf(name));
                } else {
                    loose.add(name);
                }
            }
        }
        if (layersByPrefix.size() > 1) {
            throw new InputException("cannot infer one layer stack: the tensors have layers under "
                    + layersByPrefix.size() + " prefixes " + layersByPrefix.keySet(),
                    "models with several modules (vision-language, encoder-decoder) are not supported yet");
        }
        if (templates.isEmpty() && loose.isEmpty()) {
            throw new InputException("cannot infer a model layout: the models have no tensors",
                    "check the model directories");
        }
        int layerCount = layersByPrefix.values().stream().findFirst().orElse(0);
        List<WeightInfo> pre = new ArrayList<>();
        for (String name : loose) {
            pre.add(weight(name, !models.stream().allMatch(m -> m.contains(name))));
        }
        List<WeightInfo> layer = new ArrayList<>();
        for (String template : templates) {
            layer.add(weight(template, !presentEverywhere(template, layerCount, models)));
        }
        return new Architecture(Architecture.AUTO, "", List.of(), pre, layer, List.of(), "num_hidden_layers",
                OptionalInt.of(layerCount), false);
    }

    /** The layout of models on disk, from the tensor names of their safetensors weights. */
    public static Architecture inferFromWeights(List<Path> modelDirectories) {
        List<List<String>> names = new ArrayList<>();
        for (Path dir : modelDirectories) {
            try (SafetensorsModel weights = SafetensorsModel.open(dir)) {
                names.add(List.copyOf(weights.names()));
            }
        }
        return infer(names);
    }

    private static boolean presentEverywhere(String template, int layerCount, List<Set<String>> models) {
        for (int i = 0; i < layerCount; i++) {
            String name = WeightInfo.substitute(template, i, layerCount);
            for (Set<String> m : models) {
                if (!m.contains(name)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static WeightInfo weight(String name, boolean optional) {
        String plain = name.replace("${layer_index}", "0");
        return new WeightInfo(name, EMBED.matcher(plain).find(), optional, List.of(), List.of());
    }
}
