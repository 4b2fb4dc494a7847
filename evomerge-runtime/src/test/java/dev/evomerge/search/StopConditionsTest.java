package dev.evomerge.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StopConditionsTest {

    private static SearchStatus status(long generation, long evaluations, Duration elapsed, Double best,
            Direction direction, String termination) {
        Optional<Solution> b = best == null ? Optional.empty()
                : Optional.of(new Solution(new double[] {0}, new double[] {best}, 0));
        return new SearchStatus(generation, evaluations, elapsed, List.of(direction), b,
                Optional.ofNullable(termination));
    }

    private static SearchStatus at(long generation, long evaluations) {
        return status(generation, evaluations, Duration.ZERO, null, Direction.MINIMIZE, null);
    }

    @Test
    void evaluations_budgetReached_stopsWithReason() {
        StopCondition c = StopConditions.evaluations(100);
        assertFalse(c.test(at(9, 99)));
        assertEquals(Optional.of("100 evaluations reached (budget 100)"), c.check(at(10, 100)));
    }

    @Test
    void generations_budgetReached_stops() {
        StopCondition c = StopConditions.generations(3);
        assertFalse(c.test(at(2, 1000)));
        assertTrue(c.test(at(3, 0)));
    }

    @Test
    void wallTime_budgetReached_stops() {
        StopCondition c = StopConditions.wallTime(Duration.ofMinutes(5));
        assertFalse(c.test(status(1, 1, Duration.ofSeconds(299), null, Direction.MINIMIZE, null)));
        assertTrue(c.test(status(1, 1, Duration.ofSeconds(300), null, Direction.MINIMIZE, null)));
    }

    @Test
    void optimizerTerminated_terminationPresent_stopsWithItsName() {
        StopCondition c = StopConditions.optimizerTerminated();
        assertFalse(c.test(at(1, 1)));
        assertEquals(Optional.of("optimizer terminated: tolfun"),
                c.check(status(1, 1, Duration.ZERO, null, Direction.MINIMIZE, "tolfun")));
    }

    @Test
    void fitnessReached_respectsDirection() {
        StopCondition c = StopConditions.fitnessReached(0.5);
        assertTrue(c.test(status(1, 1, Duration.ZERO, 0.5, Direction.MINIMIZE, null)));
        assertFalse(c.test(status(1, 1, Duration.ZERO, 0.6, Direction.MINIMIZE, null)));
        assertTrue(c.test(status(1, 1, Duration.ZERO, 0.6, Direction.MAXIMIZE, null)));
        assertFalse(c.test(status(1, 1, Duration.ZERO, 0.4, Direction.MAXIMIZE, null)));
        assertFalse(c.test(status(1, 1, Duration.ZERO, null, Direction.MINIMIZE, null)));
    }

    @Test
    void or_eitherStops_firstReasonWins() {
        StopCondition c = StopConditions.evaluations(10).or(StopConditions.generations(2));
        assertFalse(c.test(at(1, 5)));
        assertEquals(Optional.of("2 generations reached (budget 2)"), c.check(at(2, 5)));
        assertEquals(Optional.of("10 evaluations reached (budget 10)"), c.check(at(2, 10)));
    }

    @Test
    void and_bothNeeded_reasonsJoined() {
        StopCondition c = StopConditions.evaluations(10).and(StopConditions.generations(2));
        assertFalse(c.test(at(1, 10)));
        assertFalse(c.test(at(2, 5)));
        assertEquals(Optional.of("10 evaluations reached (budget 10) and 2 generations reached (budget 2)"),
                c.check(at(2, 10)));
    }

    @Test
    void factories_nonPositiveBudget_throw() {
        assertThrows(IllegalArgumentException.class, () -> StopConditions.evaluations(0));
        assertThrows(IllegalArgumentException.class, () -> StopConditions.generations(-1));
        assertThrows(IllegalArgumentException.class, () -> StopConditions.wallTime(Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> StopConditions.fitnessReached(Double.NaN));
    }

    @Test
    void never_anyStatus_goesOn() {
        assertFalse(StopConditions.never().test(at(1_000_000, 1_000_000)));
    }
}
