package dev.evomerge.search;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The usual {@link StopCondition}s: budgets in evaluations, generations and wall time, a fitness target, and the
 * optimizer's own termination criteria. Combine them with {@link StopCondition#or(StopCondition)}:
 *
 * {@snippet :
 * StopCondition stop = StopConditions.evaluations(1000)
 *         .or(StopConditions.wallTime(Duration.ofHours(8)))
 *         .or(StopConditions.optimizerTerminated());
 * }
 */
public final class StopConditions {

    private StopConditions() {
    }

    /** Never stops. */
    public static StopCondition never() {
        return status -> Optional.empty();
    }

    /** Stops once at least {@code max} evaluations were made (checked between generations). */
    public static StopCondition evaluations(long max) {
        requirePositive(max, "evaluations");
        return status -> status.evaluations() >= max
                ? Optional.of(status.evaluations() + " evaluations reached (budget " + max + ")")
                : Optional.empty();
    }

    /** Stops once {@code max} generations are complete. */
    public static StopCondition generations(long max) {
        requirePositive(max, "generations");
        return status -> status.generation() >= max
                ? Optional.of(status.generation() + " generations reached (budget " + max + ")")
                : Optional.empty();
    }

    /** Stops once the search has used {@code max} of wall time. */
    public static StopCondition wallTime(Duration max) {
        Objects.requireNonNull(max, "max");
        if (max.isNegative() || max.isZero()) {
            throw new IllegalArgumentException("wall time must be > 0, got " + max);
        }
        return status -> status.elapsed().compareTo(max) >= 0
                ? Optional.of("wall time " + status.elapsed() + " reached (budget " + max + ")")
                : Optional.empty();
    }

    /** Stops when the optimizer's own criteria say it cannot progress (see {@link Optimizer#termination()}). */
    public static StopCondition optimizerTerminated() {
        return status -> status.termination().map(reason -> "optimizer terminated: " + reason);
    }

    /**
     * Stops once the single objective's best score is at least as good as {@code target} in its direction (below
     * it when minimising, above it when maximising).
     */
    public static StopCondition fitnessReached(double target) {
        if (!Double.isFinite(target)) {
            throw new IllegalArgumentException("target must be finite, got " + target);
        }
        return status -> {
            if (status.directions().size() != 1 || status.best().isEmpty()) {
                return Optional.empty();
            }
            Direction direction = status.directions().getFirst();
            double best = status.best().get().fitness();
            boolean reached = Double.isFinite(best) && !direction.isBetter(target, best);
            return reached ? Optional.of("fitness " + best + " reached target " + target) : Optional.empty();
        };
    }

    private static void requirePositive(long value, String what) {
        if (value <= 0) {
            throw new IllegalArgumentException(what + " budget must be > 0, got " + value);
        }
    }
}
