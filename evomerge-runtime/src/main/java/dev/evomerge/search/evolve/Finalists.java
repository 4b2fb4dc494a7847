package dev.evomerge.search.evolve;

import dev.evomerge.report.HistoryRecord;
import dev.evomerge.search.Direction;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The records a stage's choice considers: the best distinct recipes (one objective), or the non-dominated ones under
 * the stage's objective directions (several).
 */
final class Finalists {

    private final List<Direction> directions;

    Finalists(List<Direction> directions) {
        this.directions = List.copyOf(directions);
    }

    /** The {@code count} best distinct recipes by search fitness, best first. */
    static List<HistoryRecord> best(List<HistoryRecord> evaluated, int count) {
        List<HistoryRecord> sorted = new ArrayList<>(evaluated);
        sorted.sort(Comparator.comparingDouble(HistoryRecord::fitness).reversed());
        List<HistoryRecord> chosen = new ArrayList<>();
        Set<String> recipes = new HashSet<>();
        for (HistoryRecord r : sorted) {
            if (recipes.add(r.recipe())) {
                chosen.add(r);
                if (chosen.size() == count) {
                    break;
                }
            }
        }
        return chosen;
    }

    /** The records no other record dominates, one per recipe, in history order. */
    List<HistoryRecord> nonDominated(List<HistoryRecord> evaluated) {
        List<HistoryRecord> front = new ArrayList<>();
        Set<String> recipes = new HashSet<>();
        for (HistoryRecord r : evaluated) {
            boolean dominated = false;
            for (HistoryRecord other : evaluated) {
                if (dominates(other.objectives(), r.objectives())) {
                    dominated = true;
                    break;
                }
            }
            if (!dominated && recipes.add(r.recipe())) {
                front.add(r);
            }
        }
        return front;
    }

    /** Whether objective vector {@code a} dominates {@code b}: no worse in any objective, better in one. */
    boolean dominates(double[] a, double[] b) {
        boolean better = false;
        for (int i = 0; i < a.length; i++) {
            double x = directions.get(i) == Direction.MAXIMIZE ? a[i] : -a[i];
            double y = directions.get(i) == Direction.MAXIMIZE ? b[i] : -b[i];
            if (x < y) {
                return false;
            }
            if (x > y) {
                better = true;
            }
        }
        return better;
    }
}
