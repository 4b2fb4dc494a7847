package dev.evomerge.eval;

import dev.evomerge.diag.Requires;
import dev.evomerge.diag.RunException;
import dev.evomerge.eval.fitness.Scores;
import dev.evomerge.eval.harness.EvaluationResults;
import java.time.Duration;
import java.util.Optional;

/**
 * The outcome of evaluating one candidate: its scores, or why it failed. A failure is a value, not an exception, so
 * that a search can give the candidate the worst fitness, record the reason and go on.
 */
public sealed interface EvaluationOutcome {

    /** The candidate's name. */
    String candidate();

    /** Wall time spent. */
    Duration duration();

    /** Whether the candidate was scored. */
    default boolean succeeded() {
        return this instanceof Scored;
    }

    /**
     * A scored candidate.
     *
     * @param candidate the candidate's name
     * @param scores per task and metric key
     * @param results the full results when evomerge ran the evaluation itself
     * @param duration wall time
     */
    record Scored(String candidate, Scores scores, Optional<EvaluationResults> results, Duration duration)
            implements EvaluationOutcome {
        public Scored {
            Requires.nonNull("candidate, scores, results, duration", candidate, scores, results, duration);
        }
    }

    /**
     * A failed evaluation: a command that exited with an error or ran out of time, results that are missing, a model
     * that could not be loaded or gave non-finite numbers.
     *
     * @param candidate the candidate's name
     * @param reason one line saying what went wrong
     * @param detail more to read (the end of the command's standard error), possibly empty
     * @param duration wall time
     */
    record Failed(String candidate, String reason, String detail, Duration duration) implements EvaluationOutcome {
        public Failed {
            Requires.nonNull("candidate, reason, detail, duration", candidate, reason, detail, duration);
        }

        /** The failure as the exception a single evaluation (the CLI's {@code evaluate}) ends with. */
        public RunException toException() {
            String message = "evaluating " + candidate + " failed: " + reason;
            return new RunException(detail.isEmpty() ? message : message + "\n" + detail,
                    "see the evaluator's output above");
        }
    }
}
