package dev.evomerge.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.evomerge.diag.InputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenizerConfigTest {

    @TempDir
    Path dir;

    @Test
    void read_stringAndAddedTokenForms_cleanUpAndTemplate() throws IOException {
        Files.writeString(dir.resolve("tokenizer_config.json"), """
                {"bos_token": "<s>", "eos_token": {"content": "</s>", "lstrip": false}, "unk_token": null,
                 "clean_up_tokenization_spaces": true, "chat_template": "{{ messages }}"}
                """);
        TokenizerConfig c = TokenizerConfig.read(dir);
        assertTrue(c.exists());
        assertEquals(dir.resolve("tokenizer_config.json"), c.file());
        assertEquals(Optional.of("<s>"), c.tokenText("bos_token"));
        assertEquals(Optional.of("</s>"), c.tokenText("eos_token"));
        assertEquals(Optional.empty(), c.tokenText("unk_token"));
        assertEquals(Optional.empty(), c.tokenText("pad_token"));
        assertTrue(c.cleanUpTokenizationSpaces());
        assertEquals("{{ messages }}", c.chatTemplate().textValue());
    }

    @Test
    void read_noFile_emptyConfig() {
        TokenizerConfig c = TokenizerConfig.read(dir);
        assertFalse(c.exists());
        assertEquals(Optional.empty(), c.tokenText("bos_token"));
        assertFalse(c.cleanUpTokenizationSpaces());
        assertTrue(c.chatTemplate().isMissingNode());
    }

    @Test
    void read_brokenJson_inputErrorNamingTheFile() throws IOException {
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"bos_token\": ");
        InputException e = assertThrows(InputException.class, () -> TokenizerConfig.read(dir));
        assertTrue(e.userMessage().startsWith(dir.resolve("tokenizer_config.json").toString()), e.userMessage());
        assertTrue(e.userMessage().contains("is not readable JSON"), e.userMessage());
    }
}
