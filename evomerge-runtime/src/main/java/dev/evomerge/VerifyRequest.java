package dev.evomerge;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * Everything {@code evomerge verify} needs. Immutable.
 *
 * @param lock the {@code evomerge.lock.json}, or the model directory that holds it
 * @param inputsOnly check the inputs' hashes only, without rebuilding
 * @param threads tensors merged in parallel by the rebuild (1 or more)
 * @param environment environment variables (for the Hugging Face cache location)
 */
public record VerifyRequest(Path lock, boolean inputsOnly, int threads, Map<String, String> environment) {

    public VerifyRequest {
        Objects.requireNonNull(lock, "lock");
        environment = Map.copyOf(environment);
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
    }

    /** The lock file itself: {@code lock}, or {@code lock/evomerge.lock.json} when {@code lock} is a directory. */
    public Path lockFile() {
        return java.nio.file.Files.isDirectory(lock) ? lock.resolve(dev.evomerge.report.LockFile.NAME) : lock;
    }
}
