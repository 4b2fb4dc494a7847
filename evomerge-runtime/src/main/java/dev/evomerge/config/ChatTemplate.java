package dev.evomerge.config;

import dev.evomerge.diag.ConfigException;
import dev.evomerge.diag.Requires;
import dev.evomerge.diag.SourceLocation;
import java.util.List;

/**
 * A {@code chat_template:} value, in one of three kinds as mergekit reads it: {@code auto} (the template most of the
 * input models share), a built-in name ({@code alpaca}, {@code chatml}, {@code exaone}, {@code llama3},
 * {@code mistral}), or a literal Jinja template (at least 20 characters and containing <code>{</code>). Equality
 * ignores the location. Immutable.
 *
 * @param kind which kind
 * @param value {@code auto}, the built-in name, or the template text
 * @param location where it is written
 */
public record ChatTemplate(Kind kind, String value, SourceLocation location) {

    /** The built-in template names mergekit ships. */
    public static final List<String> BUILT_IN = List.of("alpaca", "chatml", "exaone", "llama3", "mistral");

    /** The kinds of template value. */
    public enum Kind { AUTO, BUILT_IN, LITERAL }

    public ChatTemplate {
        Requires.nonNull("kind, value, location", kind, value, location);
        if (kindOf(value) != kind) {
            throw new IllegalArgumentException("chat template '" + value + "' is not of kind " + kind);
        }
    }

    /**
     * Reads a value written at {@code location}, in mergekit's order: {@code auto}, then a built-in name, then a
     * literal template.
     *
     * @throws ConfigException {@code Invalid chat template: X} for a value that is none of them
     */
    public static ChatTemplate parse(String value, SourceLocation location) {
        Kind kind = kindOf(value);
        if (kind == null) {
            throw new ConfigException(location, "Invalid chat template: " + value,
                    "use auto, one of " + String.join(", ", BUILT_IN)
                            + ", or a Jinja template (at least 20 characters, with '{')");
        }
        return new ChatTemplate(kind, value, location);
    }

    /** A generated template value. */
    public static ChatTemplate of(String value) {
        return parse(value, MergeConfig.GENERATED);
    }

    private static Kind kindOf(String value) {
        if (value.equals("auto")) {
            return Kind.AUTO;
        }
        if (BUILT_IN.contains(value)) {
            return Kind.BUILT_IN;
        }
        if (value.codePointCount(0, value.length()) >= 20 && value.contains("{")) {
            return Kind.LITERAL;
        }
        return null;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ChatTemplate c && value.equals(c.value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }
}
