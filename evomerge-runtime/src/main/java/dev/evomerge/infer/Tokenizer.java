package dev.evomerge.infer;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import dev.evomerge.diag.InputException;
import dev.evomerge.json.JsonTrees;
import dev.evomerge.model.TokenizerConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * A model's Hugging Face tokenizer ({@code tokenizer.json}, through DJL's binding of the {@code tokenizers}
 * library), used the way lm-evaluation-harness uses it: {@link #encode} adds no special tokens and never truncates;
 * {@link #decode} skips special tokens unless asked not to.
 *
 * <p>The special tokens come from the model directory: {@code bos_token} and {@code eos_token} of
 * {@code tokenizer_config.json} (a string or an object with {@code content}), else {@code bos_token_id} and
 * {@code eos_token_id} of {@code config.json}, else of {@code generation_config.json}. {@link #eosTokenIds()} is the
 * union of all three sources (transformers' {@code generate} stops at {@code generation_config.json}'s, which may
 * list several, such as Llama 3's end-of-turn token).
 *
 * <p>Thread-safe (the native tokenizer is); close it when done.
 */
public final class Tokenizer implements AutoCloseable {


    private final HuggingFaceTokenizer tokenizer;
    private final Integer bosTokenId;
    private final Set<Integer> eosTokenIds;
    private final String eosToken;

    private Tokenizer(HuggingFaceTokenizer tokenizer, Integer bosTokenId, Set<Integer> eosTokenIds, String eosToken) {
        this.tokenizer = tokenizer;
        this.bosTokenId = bosTokenId;
        this.eosTokenIds = Set.copyOf(eosTokenIds);
        this.eosToken = eosToken;
    }

    /**
     * Loads {@code tokenizer.json} (and reads the special tokens) from a model directory.
     *
     * @throws InputException naming the file when it is missing or unreadable
     */
    public static Tokenizer load(Path modelDir) {
        Path file = modelDir.resolve("tokenizer.json");
        if (!Files.isRegularFile(file)) {
            throw new InputException(file, "file not found", "the in-process evaluator needs the model's"
                    + " tokenizer.json (a fast Hugging Face tokenizer)");
        }
        HuggingFaceTokenizer hf;
        try {
            hf = HuggingFaceTokenizer.builder().optTokenizerPath(modelDir).optAddSpecialTokens(false)
                    .optTruncation(false).optPadding(false).build();
        } catch (IOException | RuntimeException e) {
            throw new InputException(file, "cannot load the tokenizer: " + e.getMessage(),
                    "check that it is a tokenizer.json written by the tokenizers library", e);
        }
        try {
            TokenizerConfig tokenizerConfig = TokenizerConfig.read(modelDir);
            JsonNode config = readJson(modelDir.resolve("config.json"));
            JsonNode generationConfig = readJson(modelDir.resolve("generation_config.json"));
            Optional<String> bos = tokenizerConfig.tokenText("bos_token");
            Optional<String> eos = tokenizerConfig.tokenText("eos_token");
            Integer bosId = bos.flatMap(t -> idOf(hf, t)).orElse(null);
            if (bosId == null) {
                bosId = ids(config, "bos_token_id").stream().findFirst()
                        .orElse(ids(generationConfig, "bos_token_id").stream().findFirst().orElse(null));
            }
            Set<Integer> eosIds = new LinkedHashSet<>();
            eos.flatMap(t -> idOf(hf, t)).ifPresent(eosIds::add);
            eosIds.addAll(ids(config, "eos_token_id"));
            eosIds.addAll(ids(generationConfig, "eos_token_id"));
            String eosText = eos.orElseGet(() -> eosIds.isEmpty() ? null
                    : hf.decode(new long[] {eosIds.iterator().next()}, false));
            return new Tokenizer(hf, bosId, eosIds, eosText);
        } catch (RuntimeException e) {
            hf.close();
            throw e;
        }
    }

    /** The token ids of {@code text}, with no special tokens added and no truncation. */
    public int[] encode(String text) {
        long[] ids = tokenizer.encode(text, false, false).getIds();
        int[] out = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            out[i] = (int) ids[i];
        }
        return out;
    }

    /** The text of {@code ids}, special tokens left out. */
    public String decode(int[] ids) {
        return decode(ids, true);
    }

    /** The text of {@code ids}. */
    public String decode(int[] ids, boolean skipSpecialTokens) {
        long[] longs = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            longs[i] = ids[i];
        }
        return tokenizer.decode(longs, skipSpecialTokens);
    }

    /** The beginning-of-sequence token id, if the model has one. */
    public OptionalInt bosTokenId() {
        return bosTokenId == null ? OptionalInt.empty() : OptionalInt.of(bosTokenId);
    }

    /** Every end-of-sequence token id the model directory names; the tokenizer's own first. */
    public Set<Integer> eosTokenIds() {
        return eosTokenIds;
    }

    /** The end-of-sequence token as text (lm-evaluation-harness adds it to every {@code until} list). */
    public Optional<String> eosToken() {
        return Optional.ofNullable(eosToken);
    }

    @Override
    public void close() {
        tokenizer.close();
    }

    private static JsonNode readJson(Path file) {
        return JsonTrees.LENIENT.readIfPresent(file).orElse(null);
    }

    /** An id or a list of ids under {@code key}. */
    private static List<Integer> ids(JsonNode json, String key) {
        JsonNode n = json == null ? null : json.get(key);
        List<Integer> out = new ArrayList<>();
        if (n != null && n.isIntegralNumber()) {
            out.add(n.intValue());
        } else if (n != null && n.isArray()) {
            n.forEach(e -> {
                if (e.isIntegralNumber()) {
                    out.add(e.intValue());
                }
            });
        }
        return out;
    }

    /** The id of a special token's text, when the tokenizer encodes it as exactly one token. */
    private static Optional<Integer> idOf(HuggingFaceTokenizer hf, String token) {
        long[] ids = hf.encode(token, false, false).getIds();
        return ids.length == 1 ? Optional.of((int) ids[0]) : Optional.empty();
    }
}
