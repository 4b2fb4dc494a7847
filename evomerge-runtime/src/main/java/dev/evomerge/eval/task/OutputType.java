package dev.evomerge.eval.task;

import dev.evomerge.config.YamlEnums;
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
        return YamlEnums.named(OutputType.class, name);
    }

    /** The name in task files. */
    public String yamlName() {
        return YamlEnums.yamlName(this);
    }
}
