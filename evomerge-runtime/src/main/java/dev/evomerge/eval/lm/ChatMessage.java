package dev.evomerge.eval.lm;

import dev.evomerge.diag.Requires;
import java.util.Map;

/**
 * One message of a conversation for a chat template.
 *
 * @param role {@code system}, {@code user} or {@code assistant}
 * @param content the text
 */
public record ChatMessage(String role, String content) {

    public ChatMessage {
        Requires.nonNull("role, content", role, content);
    }

    /** The message as chat templates see it: {@code {"role": ..., "content": ...}}. */
    public Map<String, Object> asMap() {
        return Map.of("role", role, "content", content);
    }
}
