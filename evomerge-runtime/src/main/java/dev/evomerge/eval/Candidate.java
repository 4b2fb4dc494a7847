package dev.evomerge.eval;

import dev.evomerge.eval.lm.LanguageModel;
import java.nio.file.Path;
import java.util.Objects;

/**
 * What an {@link Evaluator} scores: a model directory on disk, or a model already in memory (a merged candidate or a
 * data-flow path wrapped as a {@link LanguageModel}, never written out).
 */
public sealed interface Candidate {

    /** A name for messages and logs ("generation 3 candidate 7"). */
    String name();

    /**
     * A Hugging Face model directory.
     *
     * @param name the candidate's name
     * @param dir the directory
     */
    record Directory(String name, Path dir) implements Candidate {
        public Directory {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(dir, "dir");
        }
    }

    /**
     * A model in memory; the caller owns it.
     *
     * @param name the candidate's name
     * @param model the model
     */
    record InMemory(String name, LanguageModel model) implements Candidate {
        public InMemory {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(model, "model");
        }
    }

    /** A directory named after itself. */
    static Candidate of(Path dir) {
        return new Directory(dir.toString(), dir);
    }
}
