package dev.evomerge;

import dev.evomerge.diag.Requires;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Everything {@code evomerge evaluate} needs. Exactly one of {@code model} and {@code config} is given. Immutable.
 *
 * @param model a model directory to evaluate
 * @param config a merge config whose result is merged in memory and evaluated without writing weights
 * @param tasks the task files
 * @param limit at most this many documents per task
 * @param batchSize requests per forward pass
 * @param output where the results JSON goes (lm-evaluation-harness's shape)
 * @param samples where one JSON line per document goes
 * @param threads PyTorch intra-op threads and merge threads
 * @param seed the merge seed (stochastic methods)
 * @param baseDirectory what relative model paths of a merge config are resolved against
 * @param environment environment variables (for the Hugging Face cache location)
 */
public record EvaluateRequest(Optional<Path> model, Optional<Path> config, List<Path> tasks, OptionalInt limit,
        int batchSize, Optional<Path> output, Optional<Path> samples, int threads, long seed, Path baseDirectory,
        Map<String, String> environment) {

    public EvaluateRequest {
        Requires.nonNull("model, config, limit, output, samples, baseDirectory",
                model, config, limit, output, samples, baseDirectory);
        tasks = List.copyOf(tasks);
        environment = Map.copyOf(environment);
        if (model.isPresent() == config.isPresent()) {
            throw new IllegalArgumentException("give either --model or --config");
        }
        if (tasks.isEmpty()) {
            throw new IllegalArgumentException("give at least one --task");
        }
        if (limit.isPresent() && limit.getAsInt() < 1) {
            throw new IllegalArgumentException("--limit must be >= 1, got " + limit.getAsInt());
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("--batch-size must be >= 1, got " + batchSize);
        }
        if (threads < 1) {
            throw new IllegalArgumentException("--threads must be >= 1, got " + threads);
        }
    }
}
