package dev.evomerge.eval.fitness;

import dev.evomerge.diag.Requires;
import dev.evomerge.diag.RunException;
import dev.evomerge.eval.EvaluationOutcome;
import java.util.List;

/**
 * Fitness as {@code evolutionary-merge.md} §4 defines it, maximised: Σ weight · metric over the objectives, each
 * metric oriented by its declared direction (a lower-is-better metric enters negated). {@link #vector} gives the
 * oriented terms one by one for multi-objective search (NSGA-II maximises each). A failed candidate gets
 * {@link #WORST}.
 *
 * {@snippet :
 * Fitness f = new Fitness(List.of(Objective.of("gsm8k", "exact_match,strict-match").withWeight(2),
 *         new Objective("wikitext", "perplexity", 0.01, false)));
 * double value = f.of(outcome.scores());   // 2 * accuracy - 0.01 * perplexity
 * }
 *
 * <p>Immutable and thread-safe.
 *
 * @param objectives the terms, at least one
 */
public record Fitness(List<Objective> objectives) {

    /** The fitness of a candidate that could not be evaluated. */
    public static final double WORST = Double.NEGATIVE_INFINITY;

    public Fitness {
        objectives = Requires.nonEmptyCopy(objectives, "a fitness needs at least one objective");
    }

    /**
     * The weighted, oriented sum.
     *
     * @throws RunException when a metric is missing from the scores or is not a number
     */
    public double of(Scores scores) {
        double sum = 0;
        for (Objective o : objectives) {
            sum += o.weight() * o.oriented(value(o, scores));
        }
        return sum;
    }

    /** Each objective's oriented, unweighted value, in order. */
    public double[] vector(Scores scores) {
        double[] out = new double[objectives.size()];
        for (int i = 0; i < out.length; i++) {
            Objective o = objectives.get(i);
            out[i] = o.oriented(value(o, scores));
        }
        return out;
    }

    /** The fitness of an outcome: {@link #of} for a scored candidate, {@link #WORST} for a failed one. */
    public double of(EvaluationOutcome outcome) {
        return outcome instanceof EvaluationOutcome.Scored s ? of(s.scores()) : WORST;
    }

    private static double value(Objective o, Scores scores) {
        double v = scores.get(o.task(), o.metric()).orElseThrow(() -> new RunException("the scores have no "
                + o.metric() + " for task " + o.task() + " (they have " + scores.values() + ")",
                "name the task and the metric key as the results JSON writes them, e.g. acc,none"));
        if (Double.isNaN(v)) {
            throw new RunException("metric " + o.metric() + " of task " + o.task() + " is not a number",
                    "check the evaluation's output");
        }
        return v;
    }
}
