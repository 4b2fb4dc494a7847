package dev.evomerge.config;

import dev.evomerge.diag.ConfigException;
import dev.evomerge.event.EventListener;
import dev.evomerge.model.ModelReference;
import java.util.List;

/**
 * Reads a model reference in either of mergekit's forms: the string {@code path[@revision][+lora[@revision]]}, or
 * the mapping {@code {model: PATH, lora: PATH, override_architecture: NAME}} where each PATH is a string
 * {@code path[@revision]} or a mapping {@code {path, revision}}. Stateless.
 */
public final class ModelSpecReader {

    private static final String FORM = "write path[@revision][+lora_path[@revision]], or a mapping with 'model'"
            + " (and optionally 'lora' and 'override_architecture')";

    private ModelSpecReader() {
    }

    public static ModelSpec read(YamlNode node, EventListener events) {
        return switch (node) {
            case YamlScalar s -> {
                String text = s.isNull() ? null : s.asText("a model reference");
                if (text == null) {
                    throw s.error("expected a model reference but found null", FORM);
                }
                try {
                    yield new ModelSpec(ModelReference.parse(text), null, s.location());
                } catch (IllegalArgumentException e) {
                    throw s.error(e.getMessage(), FORM);
                }
            }
            case YamlMapping m -> {
                m.warnUnknownKeys(List.of("model", "lora", "override_architecture"), events);
                YamlNode modelNode = m.getNonNull("model").orElseThrow(
                        () -> m.error("a model reference written as a mapping needs 'model'", FORM));
                ModelReference base = readPath(modelNode, events);
                ModelReference lora = m.getNonNull("lora").map(n -> readPath(n, events)).orElse(null);
                String override = m.getNonNull("override_architecture")
                        .map(n -> n.asScalar().asText("an architecture class name")).orElse(null);
                if (override != null && override.isBlank()) {
                    throw m.require("override_architecture").error("override_architecture is empty",
                            "name a transformers class such as LlamaForCausalLM, or leave the key out");
                }
                yield new ModelSpec(new ModelReference(base.path(), base.revision(), lora), override, m.location());
            }
            case YamlSequence q -> throw q.error("expected a model reference but found a list", FORM);
        };
    }

    /** mergekit's {@code ModelPath}: {@code path[@revision]} (no '+' splitting) or {@code {path, revision}}. */
    private static ModelReference readPath(YamlNode node, EventListener events) {
        try {
            return switch (node) {
                case YamlScalar s -> {
                    String text = s.asText("a model path");
                    String[] at = text.split("@", -1);
                    if (at.length > 2) {
                        throw s.error("Invalid model path '" + text + "': more than one '@'", FORM);
                    }
                    yield new ModelReference(at[0], at.length == 2 ? at[1] : null, null);
                }
                case YamlMapping m -> {
                    m.warnUnknownKeys(List.of("path", "revision"), events);
                    String path = m.getNonNull("path").orElseThrow(() -> m.error("a model path needs 'path'"))
                            .asScalar().asText("a model path");
                    String revision = m.getNonNull("revision").map(n -> n.asScalar().asText("a revision"))
                            .orElse(null);
                    yield new ModelReference(path, revision, null);
                }
                case YamlSequence q -> throw q.error("expected a model path but found a list", FORM);
            };
        } catch (IllegalArgumentException e) {
            throw new ConfigException(node.location(), e.getMessage(), FORM);
        }
    }
}
