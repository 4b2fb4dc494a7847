package dev.evomerge.search.evolve;

import dev.evomerge.eval.Candidate;
import dev.evomerge.tensor.io.StagedDirectory;
import java.nio.file.Path;
import java.util.function.Consumer;

/** A candidate written to a scratch directory for an external evaluator, deleted when its evaluation is over. */
final class ScratchCandidate implements CandidateSource.Prepared {

    private final Candidate.Directory candidate;

    private ScratchCandidate(Candidate.Directory candidate) {
        this.candidate = candidate;
    }

    /** Writes a candidate with {@code writer} into {@code scratch/NAME} (a name made safe for a file name). */
    static ScratchCandidate written(Path scratch, String name, Consumer<Path> writer) {
        Path dir = scratch.resolve(name.replaceAll("[^A-Za-z0-9._-]+", "-"));
        writer.accept(dir);
        return new ScratchCandidate(new Candidate.Directory(name, dir));
    }

    @Override
    public Candidate candidate() {
        return candidate;
    }

    @Override
    public void close() {
        StagedDirectory.deleteRecursively(candidate.dir());
    }
}
