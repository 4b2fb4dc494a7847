package dev.evomerge.search.evolve;

import dev.evomerge.config.MergeConfig;
import dev.evomerge.config.MergeConfigWriter;
import dev.evomerge.eval.Candidate;
import dev.evomerge.eval.lm.InProcessLanguageModel;
import dev.evomerge.exec.CandidateRuns;
import java.nio.file.Path;

/**
 * Turns genomes of one search space into what evaluators score and into what a run writes out: a recipe (mergekit
 * config), a candidate model (in memory, or written to a scratch directory for an external evaluator), and the
 * merged model of a chosen recipe. Thread-safe: a generation's candidates are prepared at once.
 */
interface CandidateSource extends AutoCloseable {

    /** The recipe a genome stands for, as a mergekit config. */
    MergeConfig recipe(double[] genome);

    /** The recipe as {@code best.yml} and the written model's {@code mergekit_config.yml} hold it. */
    default String recipeText(double[] genome) {
        return MergeConfigWriter.write(recipe(genome));
    }

    /**
     * The candidate model of a genome, ready to evaluate; closing it frees what it holds.
     *
     * @throws RuntimeException when the candidate cannot be built (the evaluation then fails, the run goes on)
     */
    Prepared prepare(String name, double[] genome);

    /**
     * About how many bytes one prepared candidate holds while it is evaluated, beyond what the source shares
     * between candidates (0 when candidates share everything, as data-flow paths over loaded layers do).
     */
    default long candidateBytes() {
        return 0;
    }

    /**
     * Nanoseconds spent merging so far, summed over threads (0 for a source that never merges, as data-flow paths
     * over loaded layers); what else preparing a candidate takes counts as loading it.
     */
    default long mergeNanos() {
        return 0;
    }

    /** Writes the merged model of a genome as a standard checkpoint into {@code dir} (atomically). */
    void writeModel(double[] genome, Path dir);

    @Override
    void close();

    /** A candidate and what to free when its evaluation is over. */
    interface Prepared extends CandidateRuns.Built {

        /** A model in memory, closed when its evaluation is over. */
        static Prepared inMemory(String name, InProcessLanguageModel model) {
            return of(new Candidate.InMemory(name, model), model::close);
        }

        /** {@code candidate}, with {@code release} to run when its evaluation is over. */
        static Prepared of(Candidate candidate, Runnable release) {
            return new Prepared() {
                @Override
                public Candidate candidate() {
                    return candidate;
                }

                @Override
                public void close() {
                    release.run();
                }
            };
        }
    }
}
