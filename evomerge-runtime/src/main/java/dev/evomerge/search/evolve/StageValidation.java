package dev.evomerge.search.evolve;

import dev.evomerge.eval.Evaluator;
import dev.evomerge.exec.CandidateRuns;
import dev.evomerge.report.HistoryRecord;
import dev.evomerge.search.Direction;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * What scoring a stage's candidates on the validation split takes, for {@link SnapshotValidation} as the search
 * goes and {@link StageChoice} when it ends: the run's context, the stage, how its genomes become candidates, how
 * their outcomes are scored, and the search's objective directions.
 *
 * @param context what the stages share
 * @param stage the stage
 * @param source how a genome becomes a candidate
 * @param scoring how an outcome becomes scores and objectives
 * @param directions the direction of each objective the search was told
 */
record StageValidation(StageSearch.Context context, Stage stage, CandidateSource source, Scoring scoring,
        List<Direction> directions) {

    StageValidation {
        directions = List.copyOf(directions);
    }

    /** Whether the stage searches several objectives: several objective tasks, or the path length besides. */
    boolean severalObjectives() {
        return context.tasks().multiObjective() || directions.size() > 1;
    }

    /** The evaluator of the validation split. */
    Evaluator evaluator() {
        return context.evaluators().apply(context.tasks().runs(EvolveTasks.Role.VALIDATION));
    }

    /** The job that builds {@code genome} as the candidate {@code name}. */
    CandidateRuns.Job job(String name, double[] genome) {
        return new CandidateRuns.Job(name, () -> source.prepare(name, genome));
    }

    /**
     * A record of a genome the search never evaluated (its start point, CMA-ES' mean), to be scored on the
     * validation split: no scores, its objectives and fitness not numbers.
     */
    HistoryRecord unevaluated(long generation, int index, double[] genome) {
        double[] none = new double[directions.size()];
        Arrays.fill(none, Double.NaN);
        return new HistoryRecord(stage, generation, index, genome, scoring.recipeHash(genome), Optional.empty(), none,
                Double.NaN, 0, Optional.empty());
    }
}
