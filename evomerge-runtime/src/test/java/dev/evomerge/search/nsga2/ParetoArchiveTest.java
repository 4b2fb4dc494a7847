package dev.evomerge.search.nsga2;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.evomerge.search.Direction;
import dev.evomerge.search.Solution;
import java.util.List;
import org.junit.jupiter.api.Test;

class ParetoArchiveTest {

    private static Solution s(double x, double... score) {
        return new Solution(new double[] {x}, score, 0);
    }

    @Test
    void add_respectsEachObjectivesDirection() {
        // Objective 1 maximised, objective 2 minimised.
        ParetoArchive archive = new ParetoArchive(List.of(Direction.MAXIMIZE, Direction.MINIMIZE));
        archive.add(s(1, 0.5, 10));
        archive.add(s(2, 0.6, 12));    // better on 1, worse on 2: both stay
        archive.add(s(3, 0.4, 11));    // dominated by the first
        assertEquals(List.of(1.0, 2.0), archive.solutions().stream().map(x -> x.genome()[0]).toList());
        archive.add(s(4, 0.7, 9));     // dominates both
        assertEquals(List.of(4.0), archive.solutions().stream().map(x -> x.genome()[0]).toList());
    }

    @Test
    void add_failedOrDuplicateScores_areKeptOut() {
        ParetoArchive archive = new ParetoArchive(List.of(Direction.MINIMIZE, Direction.MINIMIZE));
        archive.add(s(1, Double.NaN, 0));
        archive.add(s(2, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY));
        assertEquals(List.of(), archive.solutions());
        archive.add(s(3, 1, 2));
        archive.add(s(4, 1, 2));       // same scores: the first one stays
        assertEquals(List.of(3.0), archive.solutions().stream().map(x -> x.genome()[0]).toList());
    }

    @Test
    void dominance_onCosts() {
        assertEquals(1, ParetoArchive.dominance(new double[] {1, 1}, new double[] {1, 2}));
        assertEquals(-1, ParetoArchive.dominance(new double[] {2, 2}, new double[] {1, 2}));
        assertEquals(0, ParetoArchive.dominance(new double[] {1, 3}, new double[] {2, 2}));
        assertEquals(0, ParetoArchive.dominance(new double[] {1, 2}, new double[] {1, 2}));
    }
}
