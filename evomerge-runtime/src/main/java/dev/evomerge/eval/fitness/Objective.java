package dev.evomerge.eval.fitness;

import dev.evomerge.diag.Requires;

/**
 * One term of a fitness: a task's metric, its weight, and which direction is better. A metric where lower is better
 * (perplexity) is declared so, with a positive weight; it is not written as a negative weight.
 *
 * <p>Immutable and thread-safe.
 *
 * @param task the task name
 * @param metric the metric key as lm-evaluation-harness writes it ({@code exact_match,strict-match}); a name
 *     without a filter ({@code acc}) means {@code acc,none}
 * @param weight its weight, a finite number >= 0 (0: the task is scored and reported, not optimised)
 * @param higherIsBetter whether larger values are better
 */
public record Objective(String task, String metric, double weight, boolean higherIsBetter) {

    public Objective {
        Requires.nonNull("task, metric", task, metric);
        if (!(weight >= 0) || Double.isInfinite(weight)) {
            throw new IllegalArgumentException("weight must be a finite number >= 0, got " + weight);
        }
    }

    /** A metric where higher is better, with weight 1. */
    public static Objective of(String task, String metric) {
        return new Objective(task, metric, 1.0, true);
    }

    public Objective withWeight(double w) {
        return new Objective(task, metric, w, higherIsBetter);
    }

    /** The same metric declared as lower-is-better. */
    public Objective lowerIsBetter() {
        return new Objective(task, metric, weight, false);
    }

    /** The metric's value oriented so that larger is better: the value, or its negation. */
    public double oriented(double value) {
        return higherIsBetter ? value : -value;
    }

    @Override
    public String toString() {
        return task + "/" + metric + (higherIsBetter ? "" : " (lower is better)") + " x " + weight;
    }
}
