package dev.evomerge.eval.lm;

import com.fasterxml.jackson.databind.JsonNode;
import dev.evomerge.diag.InputException;
import dev.evomerge.model.TokenizerConfig;
import dev.evomerge.eval.template.TemplateEngine;
import dev.evomerge.eval.template.TemplateException;
import dev.evomerge.event.EventListener;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A model's chat template, rendered as transformers' {@code apply_chat_template(messages, tokenize=False,
 * add_generation_prompt=True)} renders it ({@link TemplateEngine#forChat()}, with the special-token strings as
 * variables), and applied as lm-evaluation-harness applies it: when the template refuses a conversation
 * ({@code raise_exception}, as templates without a system role do), the system messages are dropped and it is tried
 * once more.
 *
 * <p>The template is {@code chat_template.jinja} if the model directory has one (transformers prefers it), else
 * {@code tokenizer_config.json}'s {@code chat_template} (a text, or a list of named templates of which
 * {@code default} is used).
 *
 * <p>Thread-safe.
 */
public final class ModelChatTemplate {

    private final String template;
    private final Map<String, String> specialTokens;
    private final String origin;
    private final TemplateEngine engine = TemplateEngine.forChat();

    private ModelChatTemplate(String template, Map<String, String> specialTokens, String origin) {
        this.template = template;
        this.specialTokens = Map.copyOf(specialTokens);
        this.origin = origin;
    }

    /** A template with the special-token strings it sees. */
    public static ModelChatTemplate of(String template, Map<String, String> specialTokens, String origin) {
        return new ModelChatTemplate(Objects.requireNonNull(template, "template"), specialTokens, origin);
    }

    /**
     * The model directory's chat template, if it has one.
     *
     * @throws InputException naming a file that cannot be read
     */
    public static Optional<ModelChatTemplate> read(Path modelDir, TokenizerFacts facts) {
        Path jinja = modelDir.resolve("chat_template.jinja");
        if (Files.isRegularFile(jinja)) {
            try {
                return Optional.of(of(Files.readString(jinja, StandardCharsets.UTF_8), facts.specialTokens(),
                        jinja.toString()));
            } catch (IOException e) {
                throw new InputException(jinja, "cannot read the chat template: " + e.getMessage(), null, e);
            }
        }
        TokenizerConfig config = TokenizerConfig.read(modelDir);
        Path configFile = config.file();
        JsonNode t = config.chatTemplate();
        if (t.isMissingNode() || t.isNull()) {
            return Optional.empty();
        }
        if (t.isTextual()) {
            return Optional.of(of(t.textValue(), facts.specialTokens(), configFile.toString()));
        }
        if (t.isArray()) {
            for (JsonNode named : t) {
                if ("default".equals(named.path("name").asText()) && named.path("template").isTextual()) {
                    return Optional.of(of(named.path("template").textValue(), facts.specialTokens(),
                            configFile + " (default)"));
                }
            }
        }
        throw new InputException(configFile, "chat_template is neither a template nor a list with a 'default'"
                + " template", "fix tokenizer_config.json");
    }

    /** Where the template comes from. */
    public String origin() {
        return origin;
    }

    /**
     * The conversation rendered by the template.
     *
     * @throws TemplateException when the template fails or refuses the conversation
     */
    public String render(List<ChatMessage> messages, boolean addGenerationPrompt) {
        Map<String, Object> vars = new HashMap<>(specialTokens);
        vars.put("messages", messages.stream().map(ChatMessage::asMap).toList());
        vars.put("add_generation_prompt", addGenerationPrompt);
        return engine.render(template, vars);
    }

    /**
     * The conversation formatted for generation, with lm-evaluation-harness's fallback of dropping system messages
     * when the template refuses them.
     *
     * @throws InputException naming the template when it cannot format the conversation
     */
    public String apply(List<ChatMessage> messages, EventListener events) {
        try {
            return render(messages, true);
        } catch (TemplateException first) {
            List<ChatMessage> withoutSystem = messages.stream().filter(m -> !m.role().equals("system")).toList();
            if (first.raisedByTemplate() && withoutSystem.size() < messages.size()) {
                events.warn("the chat template of " + origin + " refused the conversation (" + first.getMessage()
                        + "); trying again without the system message, as lm-evaluation-harness does");
                try {
                    return render(withoutSystem, true);
                } catch (TemplateException second) {
                    throw failed(second);
                }
            }
            throw failed(first);
        }
    }

    private InputException failed(TemplateException e) {
        return new InputException("the chat template of " + origin + " cannot format the prompt: " + e.getMessage(),
                "check the task's apply_chat_template setting and the model's chat template");
    }
}
