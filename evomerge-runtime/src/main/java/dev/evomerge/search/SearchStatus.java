package dev.evomerge.search;

import dev.evomerge.diag.Requires;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Where a search stands, as stop conditions see it. Immutable.
 *
 * @param generation completed generations
 * @param evaluations scores received so far
 * @param elapsed wall time spent on the search so far, across resumes (the run loop keeps it in its checkpoint)
 * @param directions one per objective
 * @param best the best solution so far for a single objective, else empty
 * @param termination the optimizer's own reason to stop, if any
 */
public record SearchStatus(long generation, long evaluations, Duration elapsed, List<Direction> directions,
        Optional<Solution> best, Optional<String> termination) {

    public SearchStatus {
        Requires.nonNull("elapsed, best, termination", elapsed, best, termination);
        directions = List.copyOf(directions);
        if (generation < 0 || evaluations < 0 || elapsed.isNegative()) {
            throw new IllegalArgumentException("generation, evaluations and elapsed must be >= 0, got " + generation
                    + ", " + evaluations + ", " + elapsed);
        }
    }

    /** The status of {@code optimizer} after {@code elapsed} of wall time. */
    public static SearchStatus of(Optimizer optimizer, Duration elapsed) {
        return new SearchStatus(optimizer.generation(), optimizer.evaluations(), elapsed, optimizer.directions(),
                optimizer.best(), optimizer.termination());
    }
}
