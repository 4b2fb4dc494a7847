package dev.evomerge;

import dev.evomerge.diag.InputException;
import dev.evomerge.diag.RunException;
import dev.evomerge.event.EventListener;
import dev.evomerge.report.DigestCache;
import dev.evomerge.report.FileDigest;
import dev.evomerge.report.LockCheck;
import dev.evomerge.report.LockFile;
import dev.evomerge.tensor.io.StagedDirectory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The verify facade ({@code evomerge verify LOCK}, {@code evomerge:verify}): checks every input file against the
 * size and SHA-256 an {@code evomerge.lock.json} records, then rebuilds the model from the recipe, seed and shard
 * size the lock holds into a temporary directory beside the locked one, and compares every output file's hash.
 * The first difference fails with the file's name and both hashes; the temporary directory is deleted either way.
 *
 * <p>Stateless and thread-safe.
 */
public final class Verify {

    private Verify() {
    }

    /**
     * Verifies as the request says.
     *
     * @return the lock that was verified
     * @throws InputException when an input differs from the lock
     * @throws RunException when the rebuilt model differs from the lock's outputs
     */
    public static LockFile run(VerifyRequest request, EventListener events) {
        Path file = request.lockFile().toAbsolutePath();
        if (!Files.isRegularFile(file)) {
            throw new InputException(file, "does not exist", "give an evomerge.lock.json, or the model directory"
                    + " a merge or evolve run wrote it into");
        }
        LockFile lock = LockFile.read(file);
        long start = System.nanoTime();
        LockCheck.checkInputs(lock, file, DigestCache.NONE);
        int files = lock.inputs().stream().mapToInt(i -> i.files().size()).sum();
        events.lifecycle(String.format(Locale.ROOT, "%d input files of %d models match %s (%.1f s)", files,
                lock.inputs().size(), file, (System.nanoTime() - start) / 1e9));
        if (request.inputsOnly()) {
            return lock;
        }
        Path parent = file.getParent().getParent() != null ? file.getParent().getParent() : file.getParent();
        Path temp;
        try {
            temp = Files.createTempDirectory(parent, ".evomerge-verify-");
        } catch (IOException e) {
            throw new InputException(parent, "cannot hold the rebuilt model: " + e.getMessage(),
                    "make the directory writable, or copy the lock and its model somewhere that is", e);
        }
        try {
            Path recipe = temp.resolve("recipe.yml");
            Files.writeString(recipe, lock.recipe(), StandardCharsets.UTF_8);
            // the model card's title is the directory's name, as mergekit writes it
            Path model = temp.resolve(file.getParent().getFileName().toString());
            events.lifecycle("Rebuilding " + lock.recipeFile() + " into " + model);
            MergeResult rebuilt = Merge.standard().run(new MergeRequest(recipe, model, lock.seed(), lock.outShardSize(),
                    request.threads(), MergeRequest.defaultMemoryBudget(), false, lock.baseDirectory(),
                    request.environment()), events);
            compare(file, lock, LockFile.read(rebuilt.lock())).ifPresent(extra -> events.warn("the rebuild of "
                    + file + " also has " + extra + ", which the locked model does not have"));
            events.lifecycle(String.format(Locale.ROOT, "All %d output files of %s rebuild to the hashes %s records",
                    lock.outputs().size(), file.getParent(), file.getFileName()));
            return lock;
        } catch (IOException e) {
            throw new InputException(temp, "cannot be written: " + e.getMessage(), null, e);
        } finally {
            StagedDirectory.deleteRecursively(temp);
        }
    }

    /**
     * Fails naming the first output, in path order, whose rebuilt size or hash differs from the lock's; returns the
     * first file the rebuild has beyond them (the data-flow model of an evolve run has no model card, a merge of its
     * recipe does).
     */
    static Optional<String> compare(Path file, LockFile expected, LockFile rebuilt) {
        Map<String, FileDigest> got = rebuilt.outputs().stream()
                .collect(Collectors.toMap(FileDigest::path, Function.identity()));
        for (FileDigest want : expected.outputs()) {
            FileDigest have = got.remove(want.path());
            if (have == null) {
                throw new RunException("the rebuild of " + file + " has no " + want.path() + " (locked SHA-256 "
                        + want.sha256() + ")", "the recipe no longer gives that file; check the evomerge version"
                        + " (the lock was written by " + expected.evomergeVersion() + ")");
            }
            if (!have.sha256().equals(want.sha256()) || have.size() != want.size()) {
                throw new RunException("the rebuild of " + file + " differs in " + want.path() + ": SHA-256 "
                        + want.sha256() + " (" + want.size() + " bytes) in the lock, " + have.sha256() + " ("
                        + have.size() + " bytes) rebuilt", "the model does not come from this recipe and these inputs"
                        + " with evomerge " + LockFile.currentVersion() + " (the lock was written by "
                        + expected.evomergeVersion() + ")");
            }
        }
        return got.keySet().stream().sorted().findFirst();
    }
}
