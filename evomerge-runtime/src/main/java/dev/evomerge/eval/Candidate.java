package dev.evomerge.eval;

import dev.evomerge.config.MergeConfig;
import dev.evomerge.diag.Requires;
import dev.evomerge.eval.lm.LanguageModel;
import java.nio.file.Path;

/**
 * What an {@link Evaluator} scores: a model directory on disk, a model already in memory (a merged candidate or a
 * data-flow path wrapped as a {@link LanguageModel}, never written out), or a recipe that is merged where it is
 * evaluated (on a cluster node).
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
            Requires.nonNull("name, dir", name, dir);
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
            Requires.nonNull("name, model", name, model);
        }
    }

    /**
     * A merge recipe, merged by whoever evaluates it (a cluster's array task) rather than by the caller.
     *
     * @param name the candidate's name
     * @param config the mergekit config
     * @param baseDirectory what the config's relative model paths are resolved against
     */
    record Recipe(String name, MergeConfig config, Path baseDirectory) implements Candidate {
        public Recipe {
            Requires.nonNull("name, config, baseDirectory", name, config, baseDirectory);
        }
    }

    /** A directory named after itself. */
    static Candidate of(Path dir) {
        return new Directory(dir.toString(), dir);
    }
}
