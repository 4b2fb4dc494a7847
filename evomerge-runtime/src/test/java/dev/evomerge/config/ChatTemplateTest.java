package dev.evomerge.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.evomerge.diag.ConfigException;
import org.junit.jupiter.api.Test;

class ChatTemplateTest {

    @Test
    void parse_kinds_inMergekitOrder() {
        assertEquals(ChatTemplate.Kind.AUTO, ChatTemplate.of("auto").kind());
        for (String name : ChatTemplate.BUILT_IN) {
            assertEquals(ChatTemplate.Kind.BUILT_IN, ChatTemplate.of(name).kind(), name);
        }
        assertEquals(ChatTemplate.Kind.LITERAL, ChatTemplate.of("{{ messages[0].content }}").kind());
    }

    @Test
    void parse_literalLength_countsCharactersNotUtf16Units() {
        // 19 characters (one outside the BMP, two UTF-16 units) is still too short, as Python's len() counts.
        String nineteen = "{" + "\uD83D\uDE00".repeat(1) + "x".repeat(17);
        assertEquals(19, nineteen.codePointCount(0, nineteen.length()));
        assertThrows(ConfigException.class, () -> ChatTemplate.of(nineteen));
        assertEquals(ChatTemplate.Kind.LITERAL, ChatTemplate.of(nineteen + "x").kind());
    }

    @Test
    void parse_longTextWithoutBrace_refused() {
        var e = assertThrows(ConfigException.class, () -> ChatTemplate.of("a plain sentence without any braces"));
        assertEquals("Invalid chat template: a plain sentence without any braces", e.getMessage());
    }
}
