package dev.evomerge.search.space;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.evomerge.config.MergeConfig;
import dev.evomerge.config.MergeConfigWriter;
import dev.evomerge.config.ModelSpec;
import dev.evomerge.diag.InputException;
import dev.evomerge.dataflow.LayerPath;
import dev.evomerge.model.Architecture;
import dev.evomerge.model.ModelConfig;
import dev.evomerge.model.ModelDirectory;
import dev.evomerge.model.TokenizerFiles;
import dev.evomerge.model.WeightInfo;
import dev.evomerge.tensor.TensorInfo;
import dev.evomerge.tensor.io.ModelWriter;
import dev.evomerge.tensor.io.SafetensorsModel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Writes a data-flow path as a standard checkpoint that any runtime of its family loads with no custom code
 * ({@code evolutionary-merge.md} §2), with the same tensors mergekit writes from {@link DataFlowRecipe}'s config:
 * <ul>
 *   <li>the pre weights (embeddings) from the first step's model, with s<sub>0</sub> folded into every pre weight
 *       whose name contains {@value DataFlowRecipe#EMBEDDING_FILTER};</li>
 *   <li>step t's layer as layer t, with s<sub>t+1</sub> folded into its tensors whose name contains
 *       {@value DataFlowRecipe#DOWN_PROJ_FILTER} (weight and bias);</li>
 *   <li>the post weights (final norm, lm_head) from the last step's model, unscaled; an optional weight the model
 *       lacks (lm_head of a tied model) is left out, as mergekit does;</li>
 *   <li>{@code config.json} from model A with the path's layer count (and {@code layer_types}, when the config has
 *       one, following the steps), A's tokenizer files, and the recipe as {@code mergekit_config.yml}.</li>
 * </ul>
 * Which tensors make a layer, and their order, come from each model's architecture, as mergekit plans them. A
 * folded tensor is {@code float(x) · float(s)} rounded to the tensor's dtype, torch's arithmetic for a tensor times
 * a Python number; an unscaled one is copied byte for byte. Tensors are written in name order, as mergekit does, so
 * the shards split alike.
 *
 * <p>Stateless and thread-safe; each call reads the models and writes one directory.
 */
public final class DataFlowCheckpoint {

    private static final String LAYER_TYPES = "layer_types";

    /** mergekit's default shard size: 5·10⁹ bytes. */
    public static final long DEFAULT_SHARD_BYTES = 5_000_000_000L;

    private DataFlowCheckpoint() {
    }

    /** One output tensor: where it comes from and the factor folded into it. */
    private record Planned(TensorInfo out, int model, String source, double scale) {
    }

    /**
     * Writes the checkpoint of {@code path} over {@code models} (A first) into {@code outDir}, through a temporary
     * sibling renamed at the end.
     *
     * @param overwrite whether an existing non-empty {@code outDir} may be replaced
     * @return the recipe written as {@code mergekit_config.yml}
     * @throws IllegalArgumentException for a path that does not fit the models, or that folds s<sub>0</sub> into
     *     embeddings tied to lm_head
     * @throws InputException naming the model, for models of another family or hidden size than A, or a missing
     *     tensor
     */
    public static MergeConfig write(LayerPath path, List<ModelDirectory> models, Path outDir, boolean overwrite) {
        Objects.requireNonNull(path, "path");
        path.checkAgainst(models.stream().map(ModelDirectory::layerCount).toList());
        List<ModelSpec> specs = models.stream().map(m -> ModelSpec.of(m.model().reference())).toList();
        MergeConfig recipe = DataFlowRecipe.toMergeConfig(path, specs);
        ModelDirectory a = models.getFirst();
        if (models.get(path.embeddingModel()).tiedEmbeddings() && path.embeddingScale() != 1.0) {
            throw new IllegalArgumentException("model " + path.embeddingModel() + " ties lm_head to its embeddings,"
                    + " so the embedding scale must be 1, got " + path.embeddingScale());
        }
        for (int m : path.models()) {
            checkCompatible(a, models.get(m));
        }
        List<SafetensorsModel> weights = new ArrayList<>();
        try {
            for (ModelDirectory m : models) {
                weights.add(path.models().contains(weights.size()) ? m.openWeights() : null);
            }
            List<Planned> plan = plan(path, models, weights);
            try (ModelWriter out = ModelWriter.create(outDir, plan.stream().map(Planned::out).toList(),
                    DEFAULT_SHARD_BYTES, overwrite)) {
                for (Planned p : plan) {
                    SafetensorsModel source = weights.get(p.model());
                    if (p.scale() == 1.0) {
                        out.write(p.out().name(), source.bytes(p.source()));
                    } else {
                        float[] values = source.floats(p.source());
                        float s = (float) p.scale();
                        for (int i = 0; i < values.length; i++) {
                            values[i] *= s;
                        }
                        out.writeFloats(p.out().name(), 0, values, 0, values.length);
                    }
                }
                out.staging().writeFile("config.json", outputConfig(path, models).toBytes());
                TokenizerFiles.copy(a.directory(), out.staging().path());
                out.staging().writeFile("mergekit_config.yml",
                        MergeConfigWriter.write(recipe).getBytes(StandardCharsets.UTF_8));
                out.commit();
            }
        } finally {
            for (SafetensorsModel w : weights) {
                if (w != null) {
                    w.close();
                }
            }
        }
        return recipe;
    }

    private static void checkCompatible(ModelDirectory a, ModelDirectory other) {
        if (other == a) {
            return;
        }
        if (!other.architecture().name().equals(a.architecture().name())) {
            throw new InputException(other.model().configFile(), "model '" + other.model().reference() + "' is a "
                    + other.architecture().name() + " model, model A '" + a.model().reference() + "' a "
                    + a.architecture().name() + " model", "a data-flow path combines layers of one family");
        }
        if (other.config().hiddenSize() != a.config().hiddenSize()) {
            throw new InputException(other.model().configFile(), "model '" + other.model().reference()
                    + "' has hidden size " + other.config().hiddenSize() + ", model A '" + a.model().reference()
                    + "' " + a.config().hiddenSize(), "a data-flow path combines layers of one hidden size");
        }
    }

    /**
     * Model A's config with the path's layer count. A per-layer {@code layer_types} list (transformers 5 configs
     * carry one, and check its length against the layer count) becomes each step's source layer type; when a used
     * model has no such list the key is left out, so transformers derives it for the new layer count.
     */
    static ModelConfig outputConfig(LayerPath path, List<ModelDirectory> models) {
        ModelDirectory a = models.getFirst();
        String countKey = a.architecture().layerCountKey();
        ModelConfig config = a.config().withLayerCount(countKey, path.size());
        String typesKey = countKey.contains(".") ? countKey.substring(0, countKey.lastIndexOf('.') + 1) + LAYER_TYPES
                : LAYER_TYPES;
        if (config.get(typesKey).isEmpty()) {
            return config;
        }
        ArrayNode types = JsonNodeFactory.instance.arrayNode();
        for (LayerPath.Step step : path.steps()) {
            JsonNode source = models.get(step.model()).config().get(typesKey).orElse(null);
            if (source == null || !source.isArray() || source.size() <= step.layer()) {
                ObjectNode tree = config.tree();
                ObjectNode parent = typesKey.equals(LAYER_TYPES) ? tree
                        : (ObjectNode) tree.get(typesKey.substring(0, typesKey.lastIndexOf('.')));
                parent.remove(LAYER_TYPES);
                return ModelConfig.of(tree);
            }
            types.add(source.get(step.layer()));
        }
        return config.with(typesKey, types);
    }

    /** Every output tensor in name order, with its source and factor. */
    private static List<Planned> plan(LayerPath path, List<ModelDirectory> models, List<SafetensorsModel> weights) {
        Architecture arch = models.getFirst().architecture();
        int layers = path.size();
        List<Planned> plan = new ArrayList<>();
        int embedding = path.embeddingModel();
        for (WeightInfo w : models.get(embedding).architecture().preWeights()) {
            WeightInfo in = w.expand(-1, models.get(embedding).layerCount());
            double scale = in.name().contains(DataFlowRecipe.EMBEDDING_FILTER) ? path.embeddingScale() : 1.0;
            add(plan, in.name(), in, embedding, models, weights, scale);
        }
        for (int t = 0; t < layers; t++) {
            LayerPath.Step step = path.step(t);
            ModelDirectory source = models.get(step.model());
            List<WeightInfo> in = source.architecture().layer(step.layer(), source.layerCount());
            List<WeightInfo> out = arch.layer(t, layers);
            for (int i = 0; i < out.size(); i++) {
                double scale = in.get(i).name().contains(DataFlowRecipe.DOWN_PROJ_FILTER) ? path.mlpScale(t) : 1.0;
                add(plan, out.get(i).name(), in.get(i), step.model(), models, weights, scale);
            }
        }
        int head = path.headModel();
        for (WeightInfo w : models.get(head).architecture().postWeights()) {
            WeightInfo in = w.expand(-1, models.get(head).layerCount());
            add(plan, in.name(), in, head, models, weights, 1.0);
        }
        plan.sort(Comparator.comparing(p -> p.out().name()));
        return plan;
    }

    /** Plans one tensor, found under the weight's name, an alias, or (when not optional) a tied name. */
    private static void add(List<Planned> plan, String outName, WeightInfo weight, int model,
            List<ModelDirectory> models, List<SafetensorsModel> weights, double scale) {
        SafetensorsModel source = weights.get(model);
        List<String> candidates = new ArrayList<>();
        candidates.add(weight.name());
        candidates.addAll(weight.aliases());
        if (!weight.optional()) {
            candidates.addAll(weight.tiedNames());
        }
        for (String name : candidates) {
            if (source.contains(name)) {
                TensorInfo info = source.info(name).orElseThrow();
                plan.add(new Planned(new TensorInfo(outName, info.dtype(), info.shape()), model, name, scale));
                return;
            }
        }
        if (!weight.optional()) {
            throw new InputException(models.get(model).directory(), "model '" + models.get(model).model()
                    .reference() + "' has no tensor '" + weight.name() + "'", "check that the model is complete");
        }
    }
}
