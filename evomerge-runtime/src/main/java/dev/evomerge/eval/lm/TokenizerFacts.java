package dev.evomerge.eval.lm;

import com.fasterxml.jackson.databind.JsonNode;
import dev.evomerge.diag.InputException;
import dev.evomerge.json.JsonTrees;
import dev.evomerge.model.TokenizerConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a model directory's tokenizer files say beyond the vocabulary, for using the tokenizer as transformers does:
 * the special tokens its post-processor puts before every encoded text (transformers' default
 * {@code add_special_tokens=True}: Llama's {@code <s>}, Llama 3's {@code <|begin_of_text|>}, none for Qwen), the
 * special-token strings chat templates receive ({@code bos_token}, {@code eos_token}, ...), and whether decoding
 * cleans up spaces before punctuation ({@code clean_up_tokenization_spaces}).
 *
 * <p>Immutable and thread-safe.
 *
 * @param prefixIds token ids put before every encoded text
 * @param prefixTexts those tokens' texts
 * @param specialTokens {@code bos_token}, {@code eos_token}, {@code unk_token}, {@code sep_token},
 *     {@code pad_token}, {@code cls_token}, {@code mask_token} where set
 * @param cleanUpSpaces whether decoded text gets transformers' {@code clean_up_tokenization}
 */
public record TokenizerFacts(List<Integer> prefixIds, List<String> prefixTexts, Map<String, String> specialTokens,
        boolean cleanUpSpaces) {

    private static final List<String> SPECIAL_KEYS = List.of("bos_token", "eos_token", "unk_token", "sep_token",
            "pad_token", "cls_token", "mask_token");

    public TokenizerFacts {
        prefixIds = List.copyOf(prefixIds);
        prefixTexts = List.copyOf(prefixTexts);
        specialTokens = Map.copyOf(specialTokens);
    }

    /** No prefix, no special tokens, no clean-up. */
    public static final TokenizerFacts NONE = new TokenizerFacts(List.of(), List.of(), Map.of(), false);

    /**
     * Reads {@code tokenizer.json}, {@code tokenizer_config.json} and {@code special_tokens_map.json} where present.
     *
     * @throws InputException naming a file that is not readable JSON
     */
    public static TokenizerFacts read(Path modelDir) {
        List<Integer> ids = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        JsonNode tokenizer = json(modelDir.resolve("tokenizer.json"));
        if (tokenizer != null) {
            prefix(tokenizer.get("post_processor"), ids, texts);
        }
        Map<String, String> special = new LinkedHashMap<>();
        TokenizerConfig config = TokenizerConfig.read(modelDir);
        JsonNode map = json(modelDir.resolve("special_tokens_map.json"));
        for (String key : SPECIAL_KEYS) {
            config.tokenText(key).or(() -> TokenizerConfig.tokenText(map, key)).ifPresent(t -> special.put(key, t));
        }
        boolean cleanUp = config.cleanUpTokenizationSpaces();
        return new TokenizerFacts(ids, texts, special, cleanUp);
    }

    /** transformers' {@code clean_up_tokenization}: no space before common punctuation and contractions. */
    public String cleanUp(String text) {
        if (!cleanUpSpaces) {
            return text;
        }
        return text.replace(" .", ".").replace(" ?", "?").replace(" !", "!").replace(" ,", ",")
                .replace(" ' ", "'").replace(" n't", "n't").replace(" 'm", "'m").replace(" 's", "'s")
                .replace(" 've", "'ve").replace(" 're", "'re");
    }

    /** The special tokens a post-processor adds before the text ({@code TemplateProcessing}, BERT, RoBERTa). */
    private static void prefix(JsonNode processor, List<Integer> ids, List<String> texts) {
        if (processor == null || processor.isNull()) {
            return;
        }
        switch (processor.path("type").asText()) {
            case "Sequence" -> processor.path("processors").forEach(p -> prefix(p, ids, texts));
            case "TemplateProcessing" -> {
                JsonNode specials = processor.path("special_tokens");
                for (JsonNode piece : processor.path("single")) {
                    if (piece.has("Sequence")) {
                        break;
                    }
                    String id = piece.path("SpecialToken").path("id").asText();
                    JsonNode token = specials.path(id);
                    for (int i = 0; i < token.path("ids").size(); i++) {
                        ids.add(token.path("ids").get(i).asInt());
                        texts.add(token.path("tokens").path(i).asText(id));
                    }
                }
            }
            case "BertProcessing", "RobertaProcessing" -> {
                JsonNode cls = processor.path("cls");
                if (cls.isArray() && cls.size() == 2) {
                    texts.add(cls.get(0).asText());
                    ids.add(cls.get(1).asInt());
                }
            }
            default -> { }
        }
    }

    private static JsonNode json(Path file) {
        return JsonTrees.LENIENT.readIfPresent(file).orElse(null);
    }
}
