package dev.evomerge.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class SyntheticTokenizerTest {

    @Test
    void vocabulary_anySize_exactlyThatManyDistinctTokens() {
        for (int size : new int[] {4, 64, 100, 98, 99, 5000, 32000}) {
            List<String> v = SyntheticTokenizer.vocabulary(size);
            assertEquals(size, v.size());
            assertEquals(size, new HashSet<>(v).size(), "unique at " + size);
        }
    }

    @Test
    void vocabulary_characterIds_matchWhatTokenizersEncoded() throws IOException {
        JsonNode check = new ObjectMapper().readTree(Path.of("src/test/resources/model/synth-check.json").toFile());
        List<String> vocab = SyntheticTokenizer.vocabulary(100);
        List<Integer> ours = new ArrayList<>();
        for (char c : "hello world 42".toCharArray()) {
            ours.add(vocab.indexOf(String.valueOf(c)));
        }
        List<Integer> theirs = new ArrayList<>();
        check.get("llama").get("raw_ids").forEach(n -> theirs.add(n.asInt()));
        assertEquals(theirs, ours);
    }
}
