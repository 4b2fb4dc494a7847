package dev.evomerge.search.evolve;

import dev.evomerge.eval.EvaluationOutcome;
import dev.evomerge.eval.fitness.Scores;
import dev.evomerge.exec.CandidateRuns;
import dev.evomerge.report.HistoryRecord;
import dev.evomerge.search.Direction;
import dev.evomerge.search.space.RecipeHash;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.ToIntFunction;

/**
 * What a stage makes of a run candidate: its scores or the reason there are none ({@link Attempt}), and its
 * history record with the objectives the optimizer is told.
 */
final class Scoring {

    /** Scores or the reason there are none. */
    record Attempt(Optional<Scores> scores, Optional<String> error) {
    }

    private final Stage stage;
    private final CandidateSource source;
    private final EvolveTasks tasks;
    private final List<Direction> directions;
    private final Optional<ToIntFunction<double[]>> pathLength;

    Scoring(Stage stage, CandidateSource source, EvolveTasks tasks, List<Direction> directions,
            Optional<ToIntFunction<double[]>> pathLength) {
        this.stage = stage;
        this.source = source;
        this.tasks = tasks;
        this.directions = directions;
        this.pathLength = pathLength;
    }

    /** What running a candidate came to, as scores or the reason there are none. */
    Attempt attempt(CandidateRuns.Result result) {
        if (result.error().isPresent()) {
            return new Attempt(Optional.empty(), result.error());
        }
        return attempt(result.outcome().orElseThrow());
    }

    /** An evaluation's outcome as scores, or the reason there are none. */
    Attempt attempt(EvaluationOutcome outcome) {
        if (outcome instanceof EvaluationOutcome.Failed f) {
            return new Attempt(Optional.empty(), Optional.of(f.detail().isEmpty() ? f.reason()
                    : f.reason() + ": " + f.detail()));
        }
        Scores scores = ((EvaluationOutcome.Scored) outcome).scores();
        try {
            double fitness = tasks.fitness().of(scores);
            if (Double.isNaN(fitness)) {
                return new Attempt(Optional.empty(), Optional.of("the fitness is not a number"));
            }
        } catch (RuntimeException e) {
            return new Attempt(Optional.empty(), Optional.of(CandidateRuns.describe(e)));
        }
        return new Attempt(Optional.of(scores), Optional.empty());
    }

    /** The recipe hash of a genome, {@code invalid} when it decodes to no recipe. */
    String recipeHash(double[] genome) {
        try {
            return RecipeHash.of(source.recipe(genome));
        } catch (RuntimeException e) {
            return "invalid";
        }
    }

    /** A candidate's history record: its objectives (non-finite when it failed), fitness and error. */
    HistoryRecord record(long generation, int index, double[] genome, Attempt o, double seconds) {
        String recipe = recipeHash(genome);
        int objectives = directions.size();
        double[] vector = new double[objectives];
        if (o.error().isPresent()) {
            Arrays.fill(vector, Double.NaN);
            return new HistoryRecord(stage, generation, index, genome, recipe, Optional.empty(), vector,
                    Double.NEGATIVE_INFINITY, seconds, o.error());
        }
        Scores scores = o.scores().orElseThrow();
        return new HistoryRecord(stage, generation, index, genome, recipe, Optional.of(scores),
                objectives(scores, genome), tasks.fitness().of(scores), seconds, Optional.empty());
    }

    /**
     * What the optimizer is told for a genome with these scores: the fitness, or one value per objective, and the
     * path length when it is an objective.
     */
    double[] objectives(Scores scores, double[] genome) {
        int objectives = directions.size();
        double[] vector = new double[objectives];
        double fitness = tasks.fitness().of(scores);
        if (tasks.multiObjective()) {
            double[] v = tasks.objectiveFitness().vector(scores);
            System.arraycopy(v, 0, vector, 0, v.length);
        } else {
            vector[0] = fitness;
        }
        if (pathLength.isPresent()) {
            vector[objectives - 1] = pathLength.get().applyAsInt(genome);
        }
        return vector;
    }
}
