package dev.evomerge.eval.task;

import java.util.Locale;
import java.util.Optional;

/**
 * What a task asks of the model, as lm-evaluation-harness's {@code output_type}: free generation until a stop string,
 * the log-likelihood of the target, or the log-likelihood of each choice.
 */
public enum OutputType {
    GENERATE_UNTIL,
    LOGLIKELIHOOD,
    MULTIPLE_CHOICE;

    /** The type named as task files name it. */
    public static Optional<OutputType> named(String name) {
        for (OutputType t : values()) {
            if (t.yamlName().equals(name)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    /** The name in task files. */
    public String yamlName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
