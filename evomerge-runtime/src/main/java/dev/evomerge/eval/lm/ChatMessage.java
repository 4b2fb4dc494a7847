package dev.evomerge.eval.lm;

import java.util.Map;
import java.util.Objects;

/**
 * One message of a conversation for a chat template.
 *
 * @param role {@code system}, {@code user} or {@code assistant}
 * @param content the text
 */
public record ChatMessage(String role, String content) {

    public ChatMessage {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(content, "content");
    }

    /** The message as chat templates see it: {@code {"role": ..., "content": ...}}. */
    public Map<String, Object> asMap() {
        return Map.of("role", role, "content", content);
    }
}
