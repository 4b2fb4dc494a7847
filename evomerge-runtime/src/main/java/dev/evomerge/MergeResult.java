package dev.evomerge;

import java.nio.file.Path;
import java.time.Duration;

/**
 * What a merge wrote. Immutable.
 *
 * @param outputDirectory the merged model's directory
 * @param tensors output tensors written
 * @param bytes bytes of tensor data written
 * @param elapsed wall time
 * @param lock the {@code evomerge.lock.json} written into the output
 * @param hashing the part of {@code elapsed} spent checking and hashing inputs and outputs for the lock
 */
public record MergeResult(Path outputDirectory, int tensors, long bytes, Duration elapsed, Path lock,
        Duration hashing) {
}
