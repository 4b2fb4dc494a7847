package dev.evomerge.config;

import dev.evomerge.diag.ConfigException;
import dev.evomerge.event.EventListener;
import java.util.List;
import java.util.Optional;

/**
 * Reads {@code tokenizer_source:} (the legacy key) and {@code tokenizer:} into a {@link TokenizerSetting}, refusing
 * what evomerge does not support yet: a {@code union} vocabulary (also the default source of {@code tokenizer:}),
 * per-token {@code tokens:} overrides and {@code pad_to_multiple_of}. Stateless.
 */
public final class TokenizerReader {

    private static final String SUPPORTED = "use 'base' (the base model's tokenizer) or a model reference";

    private TokenizerReader() {
    }

    public static Optional<TokenizerSetting> read(YamlMapping root, EventListener events) {
        Optional<YamlNode> legacy = root.getNonNull("tokenizer_source");
        Optional<YamlNode> block = root.getNonNull("tokenizer");
        if (legacy.isPresent() && block.isPresent()) {
            List<String> keys = List.copyOf(root.keys());
            String later = keys.indexOf("tokenizer") > keys.indexOf("tokenizer_source") ? "tokenizer"
                    : "tokenizer_source";
            throw new ConfigException(root.keyLocation(later),
                    "Cannot specify both tokenizer_source and tokenizer",
                    "keep one: tokenizer_source: X is the older spelling of tokenizer: {source: X}");
        }
        if (legacy.isPresent()) {
            return Optional.of(new TokenizerSetting(source(legacy.get(), "tokenizer_source", events), true,
                    root.keyLocation("tokenizer_source")));
        }
        if (block.isPresent()) {
            YamlMapping m = block.get().asMapping();
            m.warnUnknownKeys(List.of("source", "tokens", "pad_to_multiple_of"), events);
            m.getNonNull("tokens").filter(n -> !(n instanceof YamlMapping t && t.keys().isEmpty())).ifPresent(n -> {
                throw n.error("per-token embedding overrides ('tokens') are not supported yet",
                        "remove 'tokens'; the output vocabulary is then the source tokenizer's");
            });
            m.getNonNull("pad_to_multiple_of").ifPresent(n -> {
                throw n.error("'pad_to_multiple_of' is not supported yet", "remove it");
            });
            YamlNode sourceNode = m.getNonNull("source").orElseThrow(() -> m.error(
                    "tokenizer source 'union' (the default when 'source' is not given) is not supported yet",
                    "add source: base, or source: with a model reference"));
            return Optional.of(new TokenizerSetting(source(sourceNode, "tokenizer source", events), false,
                    root.keyLocation("tokenizer")));
        }
        return Optional.empty();
    }

    private static TokenizerSetting.Source source(YamlNode node, String what, EventListener events) {
        if (node instanceof YamlScalar s) {
            String text = s.asText("'base' or a model reference");
            if (text.equals("union")) {
                throw s.error(what + " 'union' is not supported yet", SUPPORTED);
            }
            if (text.equals("base")) {
                return new TokenizerSetting.Base();
            }
        }
        return new TokenizerSetting.FromModel(ModelSpecReader.read(node, events));
    }
}
