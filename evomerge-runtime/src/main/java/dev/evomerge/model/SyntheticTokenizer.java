package dev.evomerge.model;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.evomerge.json.PythonJsonWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A small character-level tokenizer of exactly V tokens in Hugging Face {@code tokenizers} JSON form, for synthetic
 * models: ids 0–2 are {@code <unk>}, {@code <s>}, {@code </s>}; then single characters (space, lower-case letters,
 * digits, upper-case letters, punctuation, newline); any remaining ids are multi-character tokens (valid vocabulary
 * that the tokenizer never produces). Unknown characters encode as {@code <unk>}; decoding concatenates.
 *
 * <p>Stateless and thread-safe.
 */
public final class SyntheticTokenizer {

    /** Characters in the order they are given ids. */
    static final String CHARACTERS = " abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ.,:;!?'\"-+*/=()"
            + "[]{}<>#%&_@$^|~`\\\n";
    static final List<String> SPECIALS = List.of("<unk>", "<s>", "</s>");

    private SyntheticTokenizer() {
    }

    /** The token strings, by id. */
    public static List<String> vocabulary(int size) {
        if (size < SPECIALS.size() + 1) {
            throw new IllegalArgumentException("vocabulary size must be at least 4, got " + size);
        }
        List<String> tokens = new ArrayList<>(SPECIALS);
        for (int i = 0; i < CHARACTERS.length() && tokens.size() < size; i++) {
            tokens.add(String.valueOf(CHARACTERS.charAt(i)));
        }
        for (long n = CHARACTERS.length() + 1; tokens.size() < size; n++) {
            tokens.add(multiCharacter(n));
        }
        return tokens;
    }

    /** The n-th string in bijective base-|CHARACTERS| numbering: unique, two or more characters for n > |C|. */
    private static String multiCharacter(long n) {
        int k = CHARACTERS.length();
        StringBuilder b = new StringBuilder();
        for (long m = n; m > 0; m = (m - 1) / k) {
            b.append(CHARACTERS.charAt((int) ((m - 1) % k)));
        }
        return b.reverse().toString();
    }

    /**
     * {@code tokenizer.json}'s {@code added_tokens}: the special tokens {@code <unk>}, {@code <s>}, {@code </s>} at
     * ids 0–2, as the tokenizers library writes them (shared by the word-level tokenizer the trainer writes).
     */
    static void putAddedTokens(ObjectNode root) {
        ArrayNode added = root.putArray("added_tokens");
        for (int i = 0; i < SPECIALS.size(); i++) {
            ObjectNode t = added.addObject();
            t.put("id", i);
            t.put("content", SPECIALS.get(i));
            t.put("single_word", false);
            t.put("lstrip", false);
            t.put("rstrip", false);
            t.put("normalized", false);
            t.put("special", true);
        }
    }

    /** {@code tokenizer.json}. */
    public static byte[] tokenizerJson(int size) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode root = f.objectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        putAddedTokens(root);
        root.putNull("normalizer");
        root.putNull("pre_tokenizer");
        root.putNull("post_processor");
        root.putObject("decoder").put("type", "Fuse");
        ObjectNode model = root.putObject("model");
        model.put("type", "BPE");
        model.putNull("dropout");
        model.put("unk_token", "<unk>");
        model.putNull("continuing_subword_prefix");
        model.putNull("end_of_word_suffix");
        model.put("fuse_unk", false);
        model.put("byte_fallback", false);
        model.put("ignore_merges", false);
        ObjectNode vocab = model.putObject("vocab");
        List<String> tokens = vocabulary(size);
        for (int i = 0; i < tokens.size(); i++) {
            vocab.put(tokens.get(i), i);
        }
        model.putArray("merges");
        return (PythonJsonWriter.write(root) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    /** {@code tokenizer_config.json}. */
    public static byte[] tokenizerConfigJson(int maxLength) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("bos_token", "<s>");
        root.put("eos_token", "</s>");
        root.put("unk_token", "<unk>");
        root.put("add_bos_token", false);
        root.put("add_eos_token", false);
        root.put("clean_up_tokenization_spaces", false);
        root.put("model_max_length", maxLength);
        root.put("tokenizer_class", "PreTrainedTokenizerFast");
        return (PythonJsonWriter.write(root) + "\n").getBytes(StandardCharsets.UTF_8);
    }
}
