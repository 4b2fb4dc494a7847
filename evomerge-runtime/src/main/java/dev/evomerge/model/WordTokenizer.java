package dev.evomerge.model;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.evomerge.json.PythonJsonWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * A word-level tokenizer in Hugging Face {@code tokenizers} JSON form, for models the project trains on synthetic
 * languages: text splits at whitespace, each word is one token, an unknown word is {@code <unk>}, and decoding joins
 * tokens with single spaces. Ids 0–2 are {@code <unk>}, {@code <s>}, {@code </s>}; the words follow in the order
 * given.
 *
 * <p>Immutable and thread-safe.
 */
public final class WordTokenizer {

    static final List<String> SPECIALS = SyntheticTokenizer.SPECIALS;

    private final List<String> tokens;

    private WordTokenizer(List<String> tokens) {
        this.tokens = List.copyOf(tokens);
    }

    /**
     * The tokenizer over {@code words} (duplicates dropped, first place kept).
     *
     * @throws IllegalArgumentException when a word is empty, holds whitespace, or is a special token
     */
    public static WordTokenizer of(List<String> words) {
        LinkedHashSet<String> unique = new LinkedHashSet<>();
        for (String w : words) {
            if (w.isEmpty() || !w.equals(w.strip()) || w.chars().anyMatch(Character::isWhitespace)) {
                throw new IllegalArgumentException("a word may not be empty or hold whitespace: '" + w + "'");
            }
            if (SPECIALS.contains(w)) {
                throw new IllegalArgumentException("'" + w + "' is a special token, not a word");
            }
            unique.add(w);
        }
        List<String> tokens = new ArrayList<>(SPECIALS);
        tokens.addAll(unique);
        return new WordTokenizer(tokens);
    }

    /** Tokens, specials included: the model's vocabulary size. */
    public int size() {
        return tokens.size();
    }

    /** {@code tokenizer.json}. */
    public byte[] tokenizerJson() {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode root = f.objectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        SyntheticTokenizer.putAddedTokens(root);
        root.putNull("normalizer");
        root.putObject("pre_tokenizer").put("type", "WhitespaceSplit");
        root.putNull("post_processor");
        root.putNull("decoder");
        ObjectNode model = root.putObject("model");
        model.put("type", "WordLevel");
        ObjectNode vocab = model.putObject("vocab");
        for (int i = 0; i < tokens.size(); i++) {
            vocab.put(tokens.get(i), i);
        }
        model.put("unk_token", "<unk>");
        return (PythonJsonWriter.write(root) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    /** {@code tokenizer_config.json}, as transformers' {@code save_pretrained} writes it for this tokenizer. */
    public byte[] tokenizerConfigJson(int maxLength) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode root = f.objectNode();
        ObjectNode decoder = root.putObject("added_tokens_decoder");
        for (int i = 0; i < SPECIALS.size(); i++) {
            ObjectNode t = decoder.putObject(Integer.toString(i));
            t.put("content", SPECIALS.get(i));
            t.put("lstrip", false);
            t.put("normalized", false);
            t.put("rstrip", false);
            t.put("single_word", false);
            t.put("special", true);
        }
        root.put("bos_token", "<s>");
        root.put("clean_up_tokenization_spaces", false);
        root.put("eos_token", "</s>");
        root.putObject("extra_special_tokens");
        root.put("model_max_length", maxLength);
        root.put("tokenizer_class", "PreTrainedTokenizerFast");
        root.put("unk_token", "<unk>");
        return (PythonJsonWriter.write(root) + "\n").getBytes(StandardCharsets.UTF_8);
    }
}
