package dev.evomerge.search.evolve;

import dev.evomerge.diag.Requires;
import dev.evomerge.eval.fitness.Scores;
import java.nio.file.Path;
import java.time.Duration;

/**
 * What an evolve run produced.
 *
 * @param workDirectory the work directory
 * @param bestRecipe the chosen recipe ({@code best.yml})
 * @param bestModel the chosen recipe's merged model ({@code best/})
 * @param validationScores the chosen recipe's scores on the validation split
 * @param validationFitness its fitness on the validation split
 * @param evaluations search evaluations over every stage
 * @param elapsed wall time of this invocation
 * @param finished false when the invocation paused before the search ended (its recipe and model are not written
 *     yet)
 */
public record EvolutionResult(Path workDirectory, Path bestRecipe, Path bestModel, Scores validationScores,
        double validationFitness, long evaluations, Duration elapsed, boolean finished) {

    /** A run that paused with its checkpoint written. */
    static EvolutionResult paused(Path workDirectory, long evaluations, Duration elapsed) {
        return new EvolutionResult(workDirectory, workDirectory.resolve("best.yml"), workDirectory.resolve("best"),
                new Scores(java.util.Map.of()), Double.NaN, evaluations, elapsed, false);
    }

    public EvolutionResult {
        Requires.nonNull("workDirectory, bestRecipe, bestModel, validationScores, elapsed",
                workDirectory, bestRecipe, bestModel, validationScores, elapsed);
    }
}
