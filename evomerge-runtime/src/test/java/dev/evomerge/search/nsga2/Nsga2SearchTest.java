package dev.evomerge.search.nsga2;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.evomerge.search.Bounds;
import dev.evomerge.search.Direction;
import dev.evomerge.search.Solution;
import dev.evomerge.search.Xoshiro256;
import dev.evomerge.search.ga.GenomeEncoding;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class Nsga2SearchTest {

    private static final List<Direction> MIN_MIN = List.of(Direction.MINIMIZE, Direction.MINIMIZE);

    /** ZDT1 (Zitzler, Deb and Thiele 2000): true front f2 = 1 - sqrt(f1) for f1 in [0, 1], where x2..n = 0. */
    private static double[] zdt1(double[] x) {
        double sum = 0;
        for (int i = 1; i < x.length; i++) {
            sum += x[i];
        }
        double g = 1 + 9 * sum / (x.length - 1);
        return new double[] {x[0], g * (1 - Math.sqrt(x[0] / g))};
    }

    private static void run(Nsga2Search search, Function<double[], double[]> f, int generations) {
        for (int g = 0; g < generations; g++) {
            List<double[]> scores = new ArrayList<>();
            for (double[] x : search.ask()) {
                scores.add(f.apply(x));
            }
            search.tell(scores);
        }
    }

    /** Distance from (f1, f2) to the ZDT1 front sampled at 10001 points. */
    private static double distanceToFront(double f1, double f2) {
        double best = Double.POSITIVE_INFINITY;
        for (int i = 0; i <= 10_000; i++) {
            double a = i / 10_000.0;
            double b = 1 - Math.sqrt(a);
            best = Math.min(best, (f1 - a) * (f1 - a) + (f2 - b) * (f2 - b));
        }
        return Math.sqrt(best);
    }

    @Test
    void tell_zdt1_paretoSetApproachesAndCoversTheTrueFront() {
        // Deb et al.'s setting: 30 variables, population 100, SBX 0.9/15, polynomial mutation 1/n / 20.
        // After 200 generations (about 19,700 evaluations) both the generational distance (mean distance of the
        // Pareto set to the true front) and the inverted one (mean distance of 1001 true-front points to the set:
        // coverage) are about 0.004 over seeds; the bound leaves room.
        Nsga2Search search = Nsga2Search.start(Nsga2Settings.of(GenomeEncoding.reals(Bounds.box(30, 0, 1)), MIN_MIN),
                Xoshiro256.seeded(1));
        run(search, Nsga2SearchTest::zdt1, 200);
        List<Solution> front = search.paretoFront();
        assertTrue(front.size() >= 100, "Pareto set size " + front.size());
        double gd = 0;
        for (Solution s : front) {
            double[] f = s.score();
            assertArrayEquals(zdt1(s.genome()), f, 0.0);
            gd += distanceToFront(f[0], f[1]);
        }
        gd /= front.size();
        double igd = 0;
        for (int i = 0; i <= 1000; i++) {
            double a = i / 1000.0;
            double b = 1 - Math.sqrt(a);
            double nearest = Double.POSITIVE_INFINITY;
            for (Solution s : front) {
                double[] f = s.score();
                nearest = Math.min(nearest, Math.hypot(f[0] - a, f[1] - b));
            }
            igd += nearest;
        }
        igd /= 1001;
        assertTrue(gd < 0.01, "generational distance " + gd);
        assertTrue(igd < 0.01, "inverted generational distance " + igd);
    }

    @Test
    void paretoFront_containsOnlyMutuallyNonDominatedSolutions() {
        Nsga2Search search = Nsga2Search.start(Nsga2Settings.of(GenomeEncoding.reals(Bounds.box(5, 0, 1)), MIN_MIN)
                .withPopulationSize(20), Xoshiro256.seeded(2));
        run(search, Nsga2SearchTest::zdt1, 15);
        List<Solution> front = search.paretoFront();
        for (Solution a : front) {
            for (Solution b : front) {
                assertEquals(0, ParetoArchive.dominance(a.score(), b.score()), a + " vs " + b);
            }
        }
    }

    @Test
    void tell_maximisingNegatedObjective_takesTheSameSteps() {
        // Jenetics' Vec maximises; a minimised objective is negated exactly, so these two runs are one run.
        GenomeEncoding encoding = GenomeEncoding.reals(Bounds.box(6, 0, 1));
        Nsga2Search min = Nsga2Search.start(Nsga2Settings.of(encoding, MIN_MIN).withPopulationSize(16),
                Xoshiro256.seeded(3));
        Nsga2Search mixed = Nsga2Search.start(Nsga2Settings.of(encoding,
                List.of(Direction.MAXIMIZE, Direction.MINIMIZE)).withPopulationSize(16), Xoshiro256.seeded(3));
        for (int g = 0; g < 20; g++) {
            List<double[]> a = min.ask();
            List<double[]> b = mixed.ask();
            assertEquals(a.size(), b.size());
            List<double[]> sa = new ArrayList<>();
            List<double[]> sb = new ArrayList<>();
            for (int k = 0; k < a.size(); k++) {
                assertArrayEquals(a.get(k), b.get(k), 0.0);
                double[] f = zdt1(a.get(k));
                sa.add(f);
                sb.add(new double[] {-f[0], f[1]});
            }
            min.tell(sa);
            mixed.tell(sb);
        }
        List<Solution> fa = min.paretoFront();
        List<Solution> fb = mixed.paretoFront();
        assertEquals(fa.size(), fb.size());
        for (int k = 0; k < fa.size(); k++) {
            assertArrayEquals(fa.get(k).genome(), fb.get(k).genome(), 0.0);
            assertEquals(fa.get(k).score()[0], -fb.get(k).score()[0], 0.0);
        }
    }

    @Test
    void population_isInCrowdedComparisonOrder() {
        Nsga2Search search = Nsga2Search.start(Nsga2Settings.of(GenomeEncoding.reals(Bounds.box(4, 0, 1)), MIN_MIN)
                .withPopulationSize(30), Xoshiro256.seeded(4));
        run(search, Nsga2SearchTest::zdt1, 10);
        List<Solution> population = search.population();
        assertEquals(30, population.size());
        // Non-dominated rank never decreases along the population.
        int[] rank = new int[population.size()];
        for (int i = 0; i < rank.length; i++) {
            for (int j = 0; j < rank.length; j++) {
                if (ParetoArchive.dominance(population.get(j).score(), population.get(i).score()) > 0) {
                    rank[i]++;
                }
            }
        }
        int firstDominated = -1;
        for (int i = 0; i < rank.length; i++) {
            if (rank[i] > 0 && firstDominated < 0) {
                firstDominated = i;
            }
            if (firstDominated >= 0) {
                assertTrue(rank[i] > 0, "non-dominated member " + i + " after a dominated one");
            }
        }
    }

    @Test
    void restore_state_keepsTheSettings() {
        GenomeEncoding encoding = new GenomeEncoding(new Bounds(new double[] {-1, 0}, new double[] {1, 3}),
                new int[] {0});
        Nsga2Settings settings = Nsga2Settings.of(encoding, List.of(Direction.MAXIMIZE, Direction.MINIMIZE))
                .withPopulationSize(8).withVariation(new dev.evomerge.search.ga.Variation(0.8, 12, 0.4, 25))
                .withIndicatorOnProbability(0.1).withInitial(List.of(new double[] {-1, 0.5}));
        Nsga2Search restored = Nsga2Search.restore(dev.evomerge.search.StateJson.parse(
                dev.evomerge.search.StateJson.write(Nsga2Search.start(settings, Xoshiro256.seeded(1)).state())));
        assertEquals(settings, restored.settings());
    }

    @Test
    void settings_invalid_throw() {
        GenomeEncoding encoding = GenomeEncoding.reals(Bounds.box(2, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> Nsga2Settings.of(encoding, List.of(Direction.MINIMIZE)));
        assertThrows(IllegalArgumentException.class, () -> Nsga2Settings.of(encoding, MIN_MIN).withPopulationSize(3));
        assertThrows(IllegalArgumentException.class,
                () -> Nsga2Settings.of(encoding, MIN_MIN).withInitial(List.of(new double[] {0, 5})));
        Nsga2Search search = Nsga2Search.start(Nsga2Settings.of(encoding, MIN_MIN), Xoshiro256.seeded(1));
        List<double[]> asked = search.ask();
        List<double[]> oneObjective = new ArrayList<>();
        for (int k = 0; k < asked.size(); k++) {
            oneObjective.add(new double[] {1});
        }
        assertThrows(IllegalArgumentException.class, () -> search.tell(oneObjective));
        assertTrue(search.best().isEmpty());
    }
}
