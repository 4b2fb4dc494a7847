package dev.evomerge.config;

import dev.evomerge.diag.ConfigException;
import dev.evomerge.diag.SourceLocation;
import dev.evomerge.event.EventListener;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Turns a parsed YAML document into a {@link MergeConfig}, checking everything that can be checked from the config
 * alone (mergekit-semantics.md §1.7) and reporting each problem at its position. Unknown keys, which mergekit
 * ignores, are reported as warnings. Stateless.
 */
final class MergeConfigReader {

    static final String EXACTLY_ONE = "Exactly one of 'models', 'slices', or 'modules' must be present";

    private static final List<String> ROOT_KEYS = List.of("merge_method", "base_model", "models", "slices",
            "modules", "parameters", "dtype", "out_dtype", "tokenizer_source", "tokenizer", "chat_template");
    private static final List<String> INPUT_KEYS = List.of("models", "slices", "modules");

    private MergeConfigReader() {
    }

    static MergeConfig read(YamlDocument document, EventListener events) {
        if (!(document.root() instanceof YamlMapping root)) {
            throw document.root().error("a merge config must be a mapping (key: value) but is "
                    + document.root().kindName());
        }
        root.warnUnknownKeys(ROOT_KEYS, events);
        YamlNode methodNode = root.getNonNull("merge_method").orElseThrow(() -> root.error(
                "'merge_method' is required", "name the merge method, for example merge_method: linear"));
        String method = methodNode.asScalar().asText("a merge method name");
        if (method.isBlank()) {
            throw methodNode.error("'merge_method' is empty", "name the merge method, for example linear");
        }
        MergeInputs inputs = inputs(root, events);
        Optional<ModelSpec> base = root.getNonNull("base_model").map(n -> ModelSpecReader.read(n, events));
        Parameters parameters = ParameterReader.read(root.get("parameters").orElse(null), events);
        Optional<DTypeSetting> dtype = root.getNonNull("dtype").map(MergeConfigReader::dtype);
        Optional<DTypeSetting> outDtype = root.getNonNull("out_dtype").map(MergeConfigReader::dtype);
        Optional<TokenizerSetting> tokenizer = TokenizerReader.read(root, events);
        Optional<ChatTemplate> chatTemplate = root.getNonNull("chat_template").flatMap(n -> chatTemplate(n, events));
        return new MergeConfig(method, inputs, base, parameters, dtype, outDtype, tokenizer, chatTemplate,
                root.location(), methodNode.location());
    }

    private static MergeInputs inputs(YamlMapping root, EventListener events) {
        // mergekit counts a key only when its value is non-empty: "models: []" is as good as absent.
        List<String> given = new ArrayList<>();
        for (String key : root.keys()) {
            if (INPUT_KEYS.contains(key) && !isEmpty(root.get(key).orElseThrow())) {
                given.add(key);
            }
        }
        if (given.size() != 1) {
            SourceLocation where = given.size() > 1 ? root.keyLocation(given.get(1)) : root.location();
            throw new ConfigException(where, EXACTLY_ONE, given.size() > 1
                    ? "keep one of " + String.join(" and ", given)
                            + " (models: merges whole models, slices: assembles layer ranges)"
                    : "add models: to merge whole models, or slices: to assemble layer ranges");
        }
        String key = given.getFirst();
        YamlNode node = root.require(key);
        SourceLocation at = root.keyLocation(key);
        return switch (key) {
            case "models" -> models(node, at, events);
            case "slices" -> slices(node, at, events);
            default -> module(node, at, events);
        };
    }

    private static MergeInputs.Models models(YamlNode node, SourceLocation at, EventListener events) {
        List<ModelDefinition> models = new ArrayList<>();
        for (YamlNode item : list(node, "models")) {
            YamlMapping m = entry(item, "write each model as '- model: org/name'");
            if (m.has("layer_range")) {
                events.warn("'layer_range' is ignored under models: (each model is merged whole)",
                        m.keyLocation("layer_range"));
            }
            for (String k : m.keys()) {
                if (!k.equals("model") && !k.equals("parameters") && !k.equals("layer_range")) {
                    events.warn("unknown key '" + k + "' is ignored", m.keyLocation(k));
                }
            }
            ModelSpec model = ModelSpecReader.read(m.require("model"), events);
            warnIfRepeated(model, models.stream().map(ModelDefinition::model).toList(), events);
            models.add(new ModelDefinition(model, ParameterReader.read(m.get("parameters").orElse(null), events),
                    m.location()));
        }
        return new MergeInputs.Models(models, at);
    }

    private static MergeInputs.Slices slices(YamlNode node, SourceLocation at, EventListener events) {
        List<OutputSlice> slices = new ArrayList<>();
        for (YamlNode item : list(node, "slices")) {
            slices.add(slice(entry(item, "write each slice as '- sources:' followed by its sources"), events));
        }
        return new MergeInputs.Slices(slices, at);
    }

    private static OutputSlice slice(YamlMapping m, EventListener events) {
        m.warnUnknownKeys(List.of("sources", "base_model", "parameters", "residual_weight"), events);
        YamlNode sourcesNode = m.getNonNull("sources").orElseThrow(() -> m.error("a slice needs 'sources'",
                "list the models and layer ranges it takes, each as '- model: ...' with 'layer_range: [start, end]'"));
        List<YamlNode> items = list(sourcesNode, "sources");
        if (items.isEmpty()) {
            throw sourcesNode.error("a slice needs at least one source");
        }
        List<InputSlice> sources = new ArrayList<>();
        for (YamlNode item : items) {
            InputSlice source = source(entry(item, "write each source as '- model: org/name' with"
                    + " 'layer_range: [start, end]'"), events);
            warnIfRepeated(source.model(), sources.stream().map(InputSlice::model).toList(), events);
            sources.add(source);
        }
        NormalizedConfig.checkEqualLengths(sources, m.location());
        Optional<ModelSpec> base = m.getNonNull("base_model").map(n -> ModelSpecReader.read(n, events));
        OptionalDouble residual = m.getNonNull("residual_weight")
                .map(n -> OptionalDouble.of(n.asScalar().asDouble())).orElse(OptionalDouble.empty());
        return new OutputSlice(sources, base, residual, ParameterReader.read(m.get("parameters").orElse(null),
                events), m.location());
    }

    private static InputSlice source(YamlMapping m, EventListener events) {
        m.warnUnknownKeys(List.of("model", "layer_range", "parameters"), events);
        ModelSpec model = ModelSpecReader.read(m.require("model"), events);
        YamlNode rangeNode = m.getNonNull("layer_range").orElseThrow(() -> m.error("'layer_range' is required",
                "give the layers to take as [start, end], end exclusive, for example layer_range: [0, 16]"));
        return new InputSlice(model, layerRange(rangeNode), ParameterReader.read(m.get("parameters").orElse(null),
                events), m.location());
    }

    private static LayerRange layerRange(YamlNode node) {
        if (!(node instanceof YamlSequence q) || q.size() != 2) {
            String found = node instanceof YamlSequence q ? "a list of " + q.size() : node.kindName();
            throw node.error("layer_range must be [start, end] but is " + found,
                    "give two layer numbers, end exclusive, for example [0, 16]");
        }
        long start = q.get(0).asScalar().asLong();
        long end = q.get(1).asScalar().asLong();
        String shown = "layer_range [" + start + ", " + end + "]";
        if (start < 0 || end < 0) {
            throw node.error(shown + " has a negative layer number", "layers are numbered from 0");
        }
        if (start >= end) {
            throw node.error(shown + " is empty: the end is exclusive and must be above the start",
                    "for layers 2 to 5 write [2, 6]");
        }
        if (end > Integer.MAX_VALUE) {
            throw node.error(shown + " is out of range");
        }
        return new LayerRange((int) start, (int) end);
    }

    private static MergeInputs.Module module(YamlNode node, SourceLocation at, EventListener events) {
        YamlMapping modules = node.asMapping();
        if (modules.keys().size() > 1) {
            throw new ConfigException(at, "multi-module configs are not supported yet (found modules "
                    + String.join(", ", modules.keys()) + ")",
                    "evomerge merges single-module (decoder-only) models; write models: or slices: at the top level");
        }
        String name = modules.keys().iterator().next();
        SourceLocation nameAt = modules.keyLocation(name);
        if (!name.equals("default")) {
            throw new ConfigException(nameAt, "module '" + name + "' does not exist",
                    "a single-module architecture has one module, named 'default'");
        }
        YamlMapping body = modules.require(name).asMapping();
        body.warnUnknownKeys(List.of("models", "slices", "parameters"), events);
        boolean hasModels = body.getNonNull("models").filter(n -> !isEmpty(n)).isPresent();
        boolean hasSlices = body.getNonNull("slices").filter(n -> !isEmpty(n)).isPresent();
        if (hasModels == hasSlices) {
            throw body.error("Must specify either output slices or models to merge",
                    "give the module either models: or slices:, not both");
        }
        MergeInputs inner = hasModels ? models(body.require("models"), body.keyLocation("models"), events)
                : slices(body.require("slices"), body.keyLocation("slices"), events);
        return new MergeInputs.Module(name, inner, ParameterReader.read(body.get("parameters").orElse(null), events),
                nameAt);
    }

    /** mergekit keys a tensor's inputs by model, so a model listed twice in one merge counts once. */
    private static void warnIfRepeated(ModelSpec model, List<ModelSpec> earlier, EventListener events) {
        if (earlier.contains(model)) {
            events.warn("model '" + model + "' is listed more than once here; mergekit merges each model once per"
                    + " tensor, taking its parameters from the first entry that sets them", model.location());
        }
    }

    private static DTypeSetting dtype(YamlNode node) {
        YamlScalar s = node.asScalar();
        return DTypeSetting.parse(s.asText("a dtype name such as bfloat16"), s.location());
    }

    private static Optional<ChatTemplate> chatTemplate(YamlNode node, EventListener events) {
        YamlScalar s = node.asScalar();
        String text = s.asText("a chat template name or text");
        if (text.isEmpty()) {
            events.warn("an empty chat_template is ignored", s.location());
            return Optional.empty();
        }
        return Optional.of(ChatTemplate.parse(text, s.location()));
    }

    private static YamlMapping entry(YamlNode item, String suggestion) {
        if (item instanceof YamlMapping m) {
            return m;
        }
        throw item.error("expected a mapping (key: value) but found " + item.kindName(), suggestion);
    }

    private static List<YamlNode> list(YamlNode node, String key) {
        if (!(node instanceof YamlSequence q)) {
            throw node.error("'" + key + "' must be a list but is " + node.kindName(),
                    "write each entry on its own line starting with '- '");
        }
        return q.items();
    }

    private static boolean isEmpty(YamlNode node) {
        return switch (node) {
            case YamlScalar s -> s.isNull();
            case YamlSequence q -> q.size() == 0;
            case YamlMapping m -> m.keys().isEmpty();
        };
    }
}
