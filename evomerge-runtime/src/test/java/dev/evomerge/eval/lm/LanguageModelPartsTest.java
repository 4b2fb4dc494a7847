package dev.evomerge.eval.lm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.evomerge.diag.InputException;
import dev.evomerge.event.Event;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The text-level model's parts that need no weights: tokenizer facts, chat templates, request records. */
class LanguageModelPartsTest {

    @TempDir
    Path dir;

    private static final String LLAMA_POST_PROCESSOR = """
            {"post_processor": {"type": "TemplateProcessing",
              "single": [{"SpecialToken": {"id": "<s>", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}}],
              "special_tokens": {"<s>": {"id": "<s>", "ids": [1], "tokens": ["<s>"]}}}}
            """;

    @Test
    void tokenizerFacts_templateProcessingPrefix_specialTokensFromBothFiles_cleanUp() throws IOException {
        Files.writeString(dir.resolve("tokenizer.json"), LLAMA_POST_PROCESSOR);
        Files.writeString(dir.resolve("tokenizer_config.json"), """
                {"bos_token": "<s>", "eos_token": {"content": "</s>"}, "clean_up_tokenization_spaces": true}
                """);
        Files.writeString(dir.resolve("special_tokens_map.json"),
                "{\"eos_token\": \"<ignored>\", \"pad_token\": \"<pad>\"}");
        TokenizerFacts facts = TokenizerFacts.read(dir);
        assertEquals(List.of(1), facts.prefixIds());
        assertEquals(List.of("<s>"), facts.prefixTexts());
        // tokenizer_config.json wins; special_tokens_map.json fills in what it lacks
        assertEquals(Map.of("bos_token", "<s>", "eos_token", "</s>", "pad_token", "<pad>"), facts.specialTokens());
        assertEquals("Hello, it's me. Don't!", facts.cleanUp("Hello , it 's me . Do n't !"));
    }

    @Test
    void tokenizerFacts_noFiles_none() {
        TokenizerFacts facts = TokenizerFacts.read(dir);
        assertEquals(TokenizerFacts.NONE, facts);
        assertEquals("a .", facts.cleanUp("a ."));
    }

    private static final String TEMPLATE = "{% for m in messages %}"
            + "{% if m['role'] == 'system' %}{{ raise_exception('no system role') }}{% endif %}"
            + "<{{ m['role'] }}>{{ m['content'] }}{{ eos_token }}{% endfor %}"
            + "{% if add_generation_prompt %}<assistant>{% endif %}";

    @Test
    void chatTemplate_rendersWithSpecialTokens_andRetriesWithoutSystemWhenRefused() {
        ModelChatTemplate t = ModelChatTemplate.of(TEMPLATE, Map.of("eos_token", "</s>"), "test");
        List<ChatMessage> chat = List.of(new ChatMessage("system", "be brief"), new ChatMessage("user", "2+2?"));
        List<String> warnings = new ArrayList<>();
        String text = t.apply(chat, e -> {
            if (e instanceof Event.Warning w) {
                warnings.add(w.message());
            }
        });
        assertEquals("<user>2+2?</s><assistant>", text);
        assertEquals(1, warnings.size(), warnings.toString());
        assertEquals("<user>hi</s>", t.render(List.of(new ChatMessage("user", "hi")), false));
    }

    @Test
    void chatTemplate_readFromTokenizerConfig_namedDefaultOrJinjaFile() throws IOException {
        Files.writeString(dir.resolve("tokenizer_config.json"), """
                {"chat_template": [{"name": "tool_use", "template": "T"}, {"name": "default", "template": "D"}]}
                """);
        assertEquals("D", ModelChatTemplate.read(dir, TokenizerFacts.NONE).orElseThrow().render(List.of(), true));
        Files.writeString(dir.resolve("chat_template.jinja"), "J");
        assertEquals("J", ModelChatTemplate.read(dir, TokenizerFacts.NONE).orElseThrow().render(List.of(), true));
    }

    @Test
    void chatTemplate_noneOrMalformed() throws IOException {
        assertEquals(Optional.empty(), ModelChatTemplate.read(dir, TokenizerFacts.NONE));
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"chat_template\": 3}");
        InputException e = assertThrows(InputException.class, () -> ModelChatTemplate.read(dir, TokenizerFacts.NONE));
        assertTrue(e.userMessage().contains("chat_template is neither a template"), e.userMessage());
    }

    @Test
    void requests_validateTheirFields() {
        assertThrows(IllegalArgumentException.class, () -> new GenerationRequest("q", List.of(""), 4));
        assertThrows(IllegalArgumentException.class, () -> new GenerationRequest("q", List.of("\n"), 0));
        assertEquals(List.of("\n"), new GenerationRequest("q", List.of("\n"), 1).until());
        assertThrows(NullPointerException.class, () -> new LoglikelihoodRequest(null, " yes"));
        assertEquals(Map.of("role", "user", "content", "x"), new ChatMessage("user", "x").asMap());
    }
}
