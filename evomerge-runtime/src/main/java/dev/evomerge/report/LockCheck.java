package dev.evomerge.report;

import dev.evomerge.diag.InputException;
import dev.evomerge.report.LockFile.Input;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checks files against a {@link LockFile}: a merge's inputs before it replaces a locked output, and a model fetched
 * from a repository against the lock inside it. The first file missing or differing fails with both hashes.
 * Stateless.
 */
public final class LockCheck {

    private LockCheck() {
    }

    /**
     * Checks that every input file still has the size and SHA-256 {@code lock} (read from {@code lockFile}) records.
     *
     * @throws InputException naming the first file that is missing or differs, with both hashes
     */
    public static void checkInputs(LockFile lock, Path lockFile, DigestCache cache) {
        for (Input in : lock.inputs()) {
            for (FileDigest expected : in.files()) {
                Path file = in.location().resolve(expected.path());
                if (!Files.isRegularFile(file)) {
                    throw new InputException(file, "is missing, but " + lockFile + " records it as an input of "
                            + in.reference() + " (SHA-256 " + expected.sha256() + ")",
                            "restore the input, or delete " + lockFile + " to build from the inputs as they are now");
                }
                FileDigest actual = cache.digest(in.location(), expected.path());
                if (!actual.sha256().equals(expected.sha256()) || actual.size() != expected.size()) {
                    throw new InputException(file, "has changed since " + lockFile + " was written: SHA-256 "
                            + expected.sha256() + " (" + expected.size() + " bytes) in the lock, now "
                            + actual.sha256() + " (" + actual.size() + " bytes)",
                            "restore the input, or delete " + lockFile + " to build from the inputs as they are now");
                }
            }
        }
    }

    /**
     * Checks that {@code dir} holds every output file {@code lock} records with its size and SHA-256 (a model
     * unpacked from a repository, say).
     *
     * @throws InputException naming the first file, in path order, that is missing or differs, with both hashes
     */
    public static void checkOutputs(LockFile lock, Path dir, Path lockFile) {
        for (FileDigest expected : lock.outputs()) {
            Path file = dir.resolve(expected.path());
            if (!Files.isRegularFile(file)) {
                throw new InputException(file, "is missing, but " + lockFile + " records it (SHA-256 "
                        + expected.sha256() + ")", "fetch or rebuild the model again");
            }
            FileDigest actual = FileDigest.of(dir, expected.path());
            if (!actual.sha256().equals(expected.sha256()) || actual.size() != expected.size()) {
                throw new InputException(file, "differs from " + lockFile + ": SHA-256 " + expected.sha256() + " ("
                        + expected.size() + " bytes) in the lock, " + actual.sha256() + " (" + actual.size()
                        + " bytes) here", "fetch or rebuild the model again");
            }
        }
    }
}
