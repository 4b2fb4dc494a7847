package dev.evomerge.eval.task;

import dev.evomerge.diag.Requires;
import dev.evomerge.diag.SourceLocation;

/**
 * How a task file says to get a value from a document ({@code doc_to_text}, {@code doc_to_target},
 * {@code doc_to_choice}, {@code description}): text that is either a field name of the dataset or a Jinja template,
 * or a constant written in YAML (a number or a list). Which of the first two it is is decided, as
 * lm-evaluation-harness decides it, by whether the text is one of the dataset's field names.
 */
public sealed interface DocField {

    /** Where the task file writes it. */
    SourceLocation location();

    /**
     * A field name or a Jinja template.
     *
     * @param text the text as written
     * @param location where it is written
     */
    record Text(String text, SourceLocation location) implements DocField {
        public Text {
            Requires.nonNull("text, location", text, location);
        }
    }

    /**
     * A constant: a whole number, or a list (of texts, or of numbers for several gold targets).
     *
     * @param value a {@link Long} or a {@link java.util.List}
     * @param location where it is written
     */
    record Constant(Object value, SourceLocation location) implements DocField {
        public Constant {
            Requires.nonNull("value, location", value, location);
        }
    }
}
