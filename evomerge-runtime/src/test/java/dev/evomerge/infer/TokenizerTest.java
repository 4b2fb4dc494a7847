package dev.evomerge.infer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.evomerge.diag.InputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** DJL's binding of the tokenizers library against the Python library's own answers (make_goldens.py). */
class TokenizerTest {

    private static final Path MODEL = Path.of("src/test/resources/infer/llama");

    @TempDir
    Path tmp;

    @Test
    void encodeDecode_probes_matchTheTokenizersLibrary() throws IOException {
        JsonNode golden = new ObjectMapper().readTree(Path.of("src/test/resources/infer/tokenizer.json").toFile());
        try (Tokenizer tokenizer = Tokenizer.load(MODEL)) {
            for (JsonNode probe : golden.get("probes")) {
                int[] expected = new int[probe.get("ids").size()];
                for (int i = 0; i < expected.length; i++) {
                    expected[i] = probe.get("ids").get(i).intValue();
                }
                String text = probe.get("text").textValue();
                assertArrayEquals(expected, tokenizer.encode(text), text);
                assertEquals(probe.get("decoded").textValue(), tokenizer.decode(expected), text);
                assertEquals(probe.get("decoded_with_special").textValue(), tokenizer.decode(expected, false), text);
            }
        }
    }

    @Test
    void encode_longText_notTruncated() {
        try (Tokenizer tokenizer = Tokenizer.load(MODEL)) {
            String text = "the quick brown fox ".repeat(300);
            int[] ids = tokenizer.encode(text);
            assertTrue(ids.length > 1000, ids.length + " tokens");
            assertEquals(text, tokenizer.decode(ids));
        }
    }

    @Test
    void specialTokens_fromTokenizerConfigAndConfig() {
        try (Tokenizer tokenizer = Tokenizer.load(MODEL)) {
            assertEquals(OptionalInt.of(1), tokenizer.bosTokenId());
            assertEquals(Set.of(2), tokenizer.eosTokenIds());
            assertEquals("</s>", tokenizer.eosToken().orElseThrow());
        }
    }

    @Test
    void eosTokenIds_generationConfigList_joinsTheSet() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("model"));
        Files.copy(MODEL.resolve("tokenizer.json"), dir.resolve("tokenizer.json"));
        Files.writeString(dir.resolve("config.json"), "{\"bos_token_id\": 1, \"eos_token_id\": 2}");
        Files.writeString(dir.resolve("generation_config.json"), "{\"eos_token_id\": [2, 0]}");
        try (Tokenizer tokenizer = Tokenizer.load(dir)) {
            assertEquals(Set.of(2, 0), tokenizer.eosTokenIds());
            assertEquals(OptionalInt.of(1), tokenizer.bosTokenId());
            assertEquals("</s>", tokenizer.eosToken().orElseThrow(), "the first eos id, decoded");
        }
    }

    @Test
    void load_noTokenizerJson_namesTheFile() {
        var e = assertThrows(InputException.class, () -> Tokenizer.load(tmp));
        assertEquals(tmp.resolve("tokenizer.json") + ": file not found; the in-process evaluator needs the model's"
                + " tokenizer.json (a fast Hugging Face tokenizer)", e.userMessage());
    }

    @Test
    void stopSequences_decodedTextContainsStop_stopsAndCuts() {
        try (Tokenizer tokenizer = Tokenizer.load(MODEL)) {
            StopSequences until = new StopSequences(tokenizer, List.of(" fox", "lazy"));
            assertTrue(until.shouldStop(tokenizer.encode("the quick brown fox jumps")));
            assertTrue(!until.shouldStop(tokenizer.encode("the quick brown")));
            assertEquals("the quick brown", until.cut("the quick brown fox jumps over the lazy dog"));
            assertEquals("over the ", until.cut("over the lazy fox"));
        }
    }
}
