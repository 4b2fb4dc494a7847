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
 * @param lock the {@code evomerge.lock.json} written into the output (null from {@link Merge#withoutLock()})
 * @param hashing the part of {@code elapsed} the merge waited for hashes: the check of a locked output's inputs
 *     before the merge, and after the commit what was left of the inputs' and the output's digests, which are
 *     otherwise taken alongside the merge
 */
public record MergeResult(Path outputDirectory, int tensors, long bytes, Duration elapsed, Path lock,
        Duration hashing) {
}
