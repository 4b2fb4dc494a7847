package dev.evomerge.search.nsga2;

import dev.evomerge.search.Direction;
import dev.evomerge.search.Solution;
import io.jenetics.ext.moea.ParetoFront;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Every non-dominated solution a search has evaluated, kept in a Jenetics {@link ParetoFront} whose dominance
 * respects each objective's {@link Direction} (Jenetics' {@code Vec.dominance} assumes maximisation; here every
 * score is turned into a cost to minimise first). Failed candidates (any non-finite score) never enter; of two
 * solutions with equal score vectors the first one stays. The order is the order of entry, so a restored archive
 * iterates exactly like the original.
 *
 * <p>Not thread-safe.
 */
final class ParetoArchive {

    /** A solution with its scores as costs (lower is better in every objective). */
    private record Entry(Solution solution, double[] costs) {
    }

    private final List<Direction> directions;
    private final ParetoFront<Entry> front;

    ParetoArchive(List<Direction> directions) {
        this.directions = List.copyOf(directions);
        this.front = new ParetoFront<>((a, b) -> dominance(a.costs, b.costs), (a, b) -> Arrays.equals(a.costs,
                b.costs));
    }

    /** Adds {@code s} unless it failed or is dominated; removes what it dominates. */
    void add(Solution s) {
        double[] score = s.score();
        double[] costs = new double[score.length];
        for (int i = 0; i < score.length; i++) {
            if (!Double.isFinite(score[i])) {
                return;
            }
            costs[i] = directions.get(i).toCost(score[i]);
        }
        front.add(new Entry(s, costs));
    }

    List<Solution> solutions() {
        List<Solution> out = new ArrayList<>(front.size());
        for (Entry e : front) {
            out.add(e.solution);
        }
        return out;
    }

    /** Positive when costs {@code a} dominate {@code b}, negative when {@code b} dominate {@code a}, else 0. */
    static int dominance(double[] a, double[] b) {
        boolean aBetter = false;
        boolean bBetter = false;
        for (int i = 0; i < a.length; i++) {
            if (a[i] < b[i]) {
                aBetter = true;
            } else if (b[i] < a[i]) {
                bBetter = true;
            }
        }
        if (aBetter == bBetter) {
            return 0;
        }
        return aBetter ? 1 : -1;
    }
}
