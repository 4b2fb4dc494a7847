package dev.evomerge.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.evomerge.diag.InputException;
import dev.evomerge.json.JsonTrees;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A model directory's {@code tokenizer_config.json}, read in this one place for every package that needs it (the
 * tokenizer's special tokens, the chat template, the merge output's template): the special-token texts
 * ({@code bos_token}, {@code eos_token}, ... as a string or an AddedToken object's {@code content}),
 * {@code clean_up_tokenization_spaces} and {@code chat_template}.
 *
 * <p>Immutable and thread-safe (the tree is never changed after reading).
 *
 * @param file where it is (or would be)
 * @param json its tree; the missing node when the directory has no such file
 */
public record TokenizerConfig(Path file, JsonNode json) {

    /** The file's name in a model directory. */
    public static final String FILE = "tokenizer_config.json";

    /**
     * The config of {@code modelDir}; an absent file reads as an empty config.
     *
     * @throws InputException naming the file when it is not readable JSON
     */
    public static TokenizerConfig read(Path modelDir) {
        Path file = modelDir.resolve(FILE);
        return new TokenizerConfig(file, JsonTrees.LENIENT.readIfPresent(file).orElse(MissingNode.getInstance()));
    }

    /** Whether the directory has the file. */
    public boolean exists() {
        return !json.isMissingNode();
    }

    /** A special token's text ({@code bos_token}, ...), when set. */
    public Optional<String> tokenText(String key) {
        return tokenText(json, key);
    }

    /** Whether decoded text gets transformers' {@code clean_up_tokenization} (false when unset). */
    public boolean cleanUpTokenizationSpaces() {
        return json.path("clean_up_tokenization_spaces").asBoolean(false);
    }

    /** {@code chat_template}: a text, a list of named templates, or the missing node. */
    public JsonNode chatTemplate() {
        return json.path("chat_template");
    }

    /**
     * A special token's text under {@code key} in a tokenizer JSON tree (this file or
     * {@code special_tokens_map.json}): a string, or an AddedToken object's {@code content}.
     */
    public static Optional<String> tokenText(JsonNode json, String key) {
        JsonNode n = json == null ? null : json.get(key);
        if (n == null || n.isNull()) {
            return Optional.empty();
        }
        if (n.isTextual()) {
            return Optional.of(n.textValue());
        }
        JsonNode content = n.get("content");
        return content != null && content.isTextual() ? Optional.of(content.textValue()) : Optional.empty();
    }
}
