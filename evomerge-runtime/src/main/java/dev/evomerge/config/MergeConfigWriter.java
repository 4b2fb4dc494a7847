package dev.evomerge.config;

import dev.evomerge.model.ModelReference;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a {@link MergeConfig} as mergekit YAML that mergekit reads to the same meaning (and that
 * {@link MergeConfigFile#parse} reads back to an equal config). The output is deterministic, block-style YAML in a
 * fixed key order: {@code merge_method}, {@code base_model}, the inputs ({@code models}, {@code slices} or
 * {@code modules}), {@code parameters}, {@code dtype}, {@code out_dtype}, the tokenizer, {@code chat_template};
 * inside entries {@code model}, {@code layer_range}, {@code parameters} and {@code sources}, {@code base_model},
 * {@code parameters}, {@code residual_weight}. Numbers are written as PyYAML writes floats ({@code 0.5},
 * {@code 1.0e-05}); gradients as one-line lists; conditionals as lists of {@code filter}/{@code value} entries.
 * Stateless and thread-safe.
 *
 * {@snippet :
 * String yaml = MergeConfigWriter.write(config);
 * }
 */
public final class MergeConfigWriter {

    private MergeConfigWriter() {
    }

    /** The config as YAML text, ending with a newline. */
    public static String write(MergeConfig config) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("merge_method", config.mergeMethod());
        config.baseModel().ifPresent(m -> root.put("base_model", model(m)));
        switch (config.inputs()) {
            case MergeInputs.Module module -> {
                Map<String, Object> body = new LinkedHashMap<>();
                inputs(module.body(), body);
                putParameters(body, module.parameters());
                root.put("modules", Map.of(module.name(), body));
            }
            default -> inputs(config.inputs(), root);
        }
        putParameters(root, config.parameters());
        config.dtype().ifPresent(d -> root.put("dtype", d.name()));
        config.outDtype().ifPresent(d -> root.put("out_dtype", d.name()));
        config.tokenizer().ifPresent(t -> {
            Object source = switch (t.source()) {
                case TokenizerSetting.Base b -> "base";
                case TokenizerSetting.FromModel(ModelSpec m) -> model(m);
            };
            root.put(t.legacyKey() ? "tokenizer_source" : "tokenizer",
                    t.legacyKey() ? source : Map.of("source", source));
        });
        config.chatTemplate().ifPresent(c -> root.put("chat_template", c.value()));
        return YamlEmitter.render(root);
    }

    private static void inputs(MergeInputs inputs, Map<String, Object> into) {
        switch (inputs) {
            case MergeInputs.Models models -> {
                List<Object> list = new ArrayList<>();
                for (ModelDefinition m : models.models()) {
                    Map<String, Object> entry = new LinkedHashMap<>();
                    entry.put("model", model(m.model()));
                    putParameters(entry, m.parameters());
                    list.add(entry);
                }
                into.put("models", list);
            }
            case MergeInputs.Slices slices -> {
                List<Object> list = new ArrayList<>();
                for (OutputSlice s : slices.slices()) {
                    list.add(slice(s));
                }
                into.put("slices", list);
            }
            case MergeInputs.Module module -> throw new IllegalArgumentException("nested module " + module.name());
        }
    }

    private static Map<String, Object> slice(OutputSlice slice) {
        Map<String, Object> out = new LinkedHashMap<>();
        List<Object> sources = new ArrayList<>();
        for (InputSlice s : slice.sources()) {
            Map<String, Object> source = new LinkedHashMap<>();
            source.put("model", model(s.model()));
            source.put("layer_range", new YamlEmitter.Flow(List.of(
                    Integer.toString(s.layerRange().start()), Integer.toString(s.layerRange().end()))));
            putParameters(source, s.parameters());
            sources.add(source);
        }
        out.put("sources", sources);
        slice.baseModel().ifPresent(m -> out.put("base_model", model(m)));
        putParameters(out, slice.parameters());
        slice.residualWeight().ifPresent(w -> out.put("residual_weight", number(w)));
        return out;
    }

    private static void putParameters(Map<String, Object> into, Parameters parameters) {
        if (parameters.isEmpty()) {
            return;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        parameters.settings().forEach((name, setting) -> out.put(name, setting(setting)));
        into.put("parameters", out);
    }

    private static Object setting(ParameterSetting setting) {
        return switch (setting) {
            case ParameterSetting.Scalar s -> number(s.value());
            case ParameterSetting.Gradient g -> new YamlEmitter.Flow(
                    g.values().stream().map(v -> PythonNumbers.yamlFloat(v)).toList());
            case ParameterSetting.Conditional c -> {
                List<Object> entries = new ArrayList<>();
                for (ParameterSetting.Conditional.Entry e : c.entries()) {
                    Map<String, Object> entry = new LinkedHashMap<>();
                    if (e.filter() != null) {
                        entry.put("filter", e.filter());
                    }
                    entry.put("value", setting(e.value()));
                    entries.add(entry);
                }
                yield entries;
            }
        };
    }

    private static YamlEmitter.Raw number(double value) {
        return new YamlEmitter.Raw(PythonNumbers.yamlFloat(value));
    }

    /** The string form when it reads back unchanged, else mergekit's mapping form. */
    private static Object model(ModelSpec spec) {
        ModelReference r = spec.reference();
        ModelReference lora = r.lora();
        boolean stringForm = spec.overrideArchitecture() == null && pathFitsString(r)
                && (lora == null || pathFitsString(lora));
        if (stringForm) {
            return r.toString();
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("model", path(r));
        if (lora != null) {
            out.put("lora", path(lora));
        }
        if (spec.overrideArchitecture() != null) {
            out.put("override_architecture", spec.overrideArchitecture());
        }
        return out;
    }

    private static Object path(ModelReference r) {
        if (!r.path().contains("@") && (r.revision() == null || !r.revision().contains("@"))) {
            return r.revision() == null ? r.path() : r.path() + "@" + r.revision();
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("path", r.path());
        if (r.revision() != null) {
            out.put("revision", r.revision());
        }
        return out;
    }

    private static boolean pathFitsString(ModelReference r) {
        return !r.path().contains("@") && !r.path().contains("+")
                && (r.revision() == null || !r.revision().contains("@") && !r.revision().contains("+"));
    }
}
