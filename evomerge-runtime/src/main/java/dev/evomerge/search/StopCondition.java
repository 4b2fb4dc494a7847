package dev.evomerge.search;

import java.util.Objects;
import java.util.Optional;

/**
 * When to stop a search: a predicate over the {@link SearchStatus} that also says why. Conditions compose with
 * {@link #or(StopCondition)} and {@link #and(StopCondition)}; the usual ones are in {@link StopConditions}.
 *
 * <p>Implementations are stateless functions of the status, so a resumed search stops where an uninterrupted one
 * would.
 */
@FunctionalInterface
public interface StopCondition {

    /** The reason to stop now, for example {@code "1000 evaluations reached"}, or empty to go on. */
    Optional<String> check(SearchStatus status);

    /** Whether to stop now. */
    default boolean test(SearchStatus status) {
        return check(status).isPresent();
    }

    /** Stops when this or {@code other} says so (this one's reason first). */
    default StopCondition or(StopCondition other) {
        Objects.requireNonNull(other, "other");
        return status -> {
            Optional<String> mine = check(status);
            return mine.isPresent() ? mine : other.check(status);
        };
    }

    /** Stops only when this and {@code other} both say so; the reasons are joined with {@code " and "}. */
    default StopCondition and(StopCondition other) {
        Objects.requireNonNull(other, "other");
        return status -> {
            Optional<String> mine = check(status);
            if (mine.isEmpty()) {
                return mine;
            }
            return other.check(status).map(theirs -> mine.get() + " and " + theirs);
        };
    }
}
