package dev.evomerge.report;

import dev.evomerge.diag.Requires;
import dev.evomerge.eval.fitness.Scores;
import dev.evomerge.search.evolve.Stage;
import java.util.Optional;

/**
 * One evaluation of a search, one line of {@code history.jsonl}. Immutable; the arrays are copied in and out.
 *
 * @param stage the stage that evaluated it
 * @param generation the generation (0 for the first)
 * @param index the candidate's position in its generation
 * @param genome the genome as the optimizer asked for it
 * @param recipe the decoded recipe's hash ({@code RecipeHash})
 * @param scores the scores per task and metric, empty when the evaluation failed
 * @param objectives what the optimizer was told (non-finite for a failed candidate)
 * @param fitness the weighted-sum fitness ({@code -Infinity} for a failed candidate)
 * @param seconds wall time of the evaluation
 * @param error why the evaluation failed, empty when it did not
 */
public record HistoryRecord(Stage stage, long generation, int index, double[] genome, String recipe,
        Optional<Scores> scores, double[] objectives, double fitness, double seconds, Optional<String> error) {

    public HistoryRecord {
        Requires.nonNull("stage, recipe, scores, error", stage, recipe, scores, error);
        genome = genome.clone();
        objectives = objectives.clone();
    }

    @Override
    public double[] genome() {
        return genome.clone();
    }

    @Override
    public double[] objectives() {
        return objectives.clone();
    }

    /** Whether the evaluation failed. */
    public boolean failed() {
        return error.isPresent();
    }
}
