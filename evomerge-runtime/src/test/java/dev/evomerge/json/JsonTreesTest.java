package dev.evomerge.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The streaming tree reader against an object mapper's readTree with the same settings. */
class JsonTreesTest {

    private static final List<String> TEXTS = List.of(
            "{\"a\": 1, \"b\": [1, 2.5, -3e-7, 4000000000, 123456789012345678901234567890], \"c\": {\"d\": null,"
                    + " \"e\": true, \"f\": false, \"g\": \"\\u00e9\\n\"}, \"h\": [], \"i\": {}}",
            "[1, [2, [3, [4]]], {\"x\": [{}]}]",
            "\"text\"",
            "-0.0",
            "{\"a\": 1} trailing",
            "");

    @Test
    void read_variedDocuments_sameTreesAsObjectMapper() throws Exception {
        ObjectMapper lenient = new ObjectMapper();
        ObjectMapper config = JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
                .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS).build();
        for (String text : TEXTS) {
            assertSame(lenient.readTree(text), JsonTrees.LENIENT.read(text), text);
            assertSame(lenient.readTree(text), JsonTrees.STRICT.read(text), text);
            assertSame(config.readTree(text), JsonTrees.PYTHON_CONFIG.read(text), text);
        }
        String nan = "{\"eps\": NaN, \"big\": Infinity, \"n\": 7}";
        assertSame(config.readTree(nan), JsonTrees.PYTHON_CONFIG.read(nan), nan);
        assertTrue(JsonTrees.PYTHON_CONFIG.read(nan).get("n").isBigInteger());
        assertTrue(JsonTrees.LENIENT.read("{\"n\": 7}").get("n").isInt());
        assertTrue(JsonTrees.LENIENT.read("{\"n\": 4000000000}").get("n").isLong());
    }

    /** Equal trees with equal node classes at every level (JsonNode.equals alone lets an int equal a long). */
    private static void assertSame(JsonNode expected, JsonNode actual, String text) {
        assertEquals(expected, actual, text);
        assertEquals(expected.getClass(), actual.getClass(), text);
        for (int i = 0; i < expected.size(); i++) {
            if (expected.isArray()) {
                assertSame(expected.get(i), actual.get(i), text);
            }
        }
        expected.properties().forEach(e -> assertSame(e.getValue(), actual.get(e.getKey()), text));
        assertEquals(expected.properties().stream().map(java.util.Map.Entry::getKey).toList(),
                actual.properties().stream().map(java.util.Map.Entry::getKey).toList(), text);
    }

    @Test
    void read_repeatedKey_strictFailsWithTheMappersMessage_lenientKeepsTheLast() throws Exception {
        String text = "{\"a\": 1, \"b\": 2, \"a\": 3}";
        var e = assertThrows(JsonProcessingException.class, () -> JsonTrees.STRICT.read(text));
        assertEquals("Duplicate field 'a'", e.getOriginalMessage());
        assertEquals(new ObjectMapper().readTree(text), JsonTrees.LENIENT.read(text));
        assertEquals(3, JsonTrees.LENIENT.read(text).get("a").intValue());
    }

    @Test
    void read_malformed_failsWithTheMappersMessage() {
        for (String text : List.of("{\"a\": 1", "{\"a\" 1}", "[1, 2,]", "{\"eps\": NaN}")) {
            var expected = assertThrows(JsonProcessingException.class, () -> new ObjectMapper().readTree(text));
            var actual = assertThrows(JsonProcessingException.class, () -> JsonTrees.STRICT.read(text));
            assertEquals(expected.getOriginalMessage(), actual.getOriginalMessage(), text);
        }
    }
}
