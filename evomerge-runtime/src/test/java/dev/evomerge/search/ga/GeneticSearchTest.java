package dev.evomerge.search.ga;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.evomerge.search.Bounds;
import dev.evomerge.search.Direction;
import dev.evomerge.search.Optimizer;
import dev.evomerge.search.Xoshiro256;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;

class GeneticSearchTest {

    private static void run(Optimizer o, ToDoubleFunction<double[]> f, int generations) {
        for (int g = 0; g < generations; g++) {
            List<double[]> xs = o.ask();
            double[] fs = new double[xs.size()];
            for (int k = 0; k < fs.length; k++) {
                fs[k] = f.applyAsDouble(xs.get(k));
            }
            o.tellFitness(fs);
        }
    }

    @Test
    void tell_sphereInBox_approachesTheOptimum() {
        // A PS-like genome: 6 reals in [-5, 5].
        GeneticSearch ga = GeneticSearch.start(GeneticSettings.of(GenomeEncoding.reals(Bounds.box(6, -5, 5))),
                Xoshiro256.seeded(1));
        run(ga, x -> {
            double s = 0;
            for (double v : x) {
                s += (v - 1) * (v - 1);
            }
            return s;
        }, 200);
        assertTrue(ga.best().orElseThrow().fitness() < 1e-3, ga.best().get().toString());
    }

    @Test
    void tell_dataFlowGenome_findsTheIndicatorPatternAndScales() {
        // 40 slots, wanted on at every third one, then 8 scales in [0, 2] wanted at 0.7; maximised.
        int slots = 40;
        double[] lower = new double[slots + 8];
        double[] upper = new double[slots + 8];
        Arrays.fill(lower, 0, slots, -1);
        Arrays.fill(upper, 0, slots, 1);
        Arrays.fill(upper, slots, slots + 8, 2);
        int[] indicators = new int[slots];
        for (int i = 0; i < slots; i++) {
            indicators[i] = i;
        }
        GenomeEncoding encoding = new GenomeEncoding(new Bounds(lower, upper), indicators);
        GeneticSearch ga = GeneticSearch.start(GeneticSettings.of(encoding).withDirection(Direction.MAXIMIZE)
                .withPopulationSize(60).withIndicatorOnProbability(0.3), Xoshiro256.seeded(2));
        run(ga, x -> {
            double f = 0;
            for (int i = 0; i < slots; i++) {
                f += (x[i] > 0) == (i % 3 == 0) ? 1 : 0;
            }
            for (int i = slots; i < x.length; i++) {
                f -= Math.abs(x[i] - 0.7);
            }
            return f;
        }, 250);
        double[] best = ga.best().orElseThrow().genome();
        for (int i = 0; i < slots; i++) {
            assertEquals(i % 3 == 0 ? 1.0 : -1.0, best[i], 0.0, "slot " + i);
        }
        for (int i = slots; i < best.length; i++) {
            assertEquals(0.7, best[i], 0.05, "scale " + i);
        }
    }

    @Test
    void ask_afterFirstGeneration_asksOnlyForNewIndividuals() {
        GeneticSearch ga = GeneticSearch.start(GeneticSettings.of(GenomeEncoding.reals(Bounds.box(3, 0, 1)))
                .withPopulationSize(20), Xoshiro256.seeded(3));
        assertEquals(20, ga.ask().size());
        long asked = 0;
        for (int g = 0; g < 10; g++) {
            List<double[]> xs = ga.ask();
            assertTrue(xs.size() <= 20);
            asked += xs.size();
            double[] f = new double[xs.size()];
            Arrays.fill(f, g);
            ga.tellFitness(f);
        }
        assertEquals(asked, ga.evaluations());
        // Survivors (8 of 20) are never asked again.
        assertTrue(asked <= 20 + 9 * 12, "asked " + asked);
    }

    @Test
    void ask_initialGenomes_leadTheFirstGeneration() {
        List<double[]> initial = List.of(new double[] {0.1, 0.2}, new double[] {0.9, 0.8});
        GeneticSearch ga = GeneticSearch.start(GeneticSettings.of(GenomeEncoding.reals(Bounds.box(2, 0, 1)))
                .withPopulationSize(10).withInitial(initial), Xoshiro256.seeded(4));
        List<double[]> first = ga.ask();
        assertEquals(10, first.size());
        assertArrayEquals(initial.get(0), first.get(0), 1e-15);
        assertArrayEquals(initial.get(1), first.get(1), 1e-15);
    }

    @Test
    void best_keepsTheBestEverAndIgnoresFailures() {
        GeneticSearch ga = GeneticSearch.start(GeneticSettings.of(GenomeEncoding.reals(Bounds.box(2, 0, 1)))
                .withDirection(Direction.MAXIMIZE).withPopulationSize(6), Xoshiro256.seeded(5));
        List<double[]> xs = ga.ask();
        double[] f = {1, Double.NaN, 3, 2, Double.POSITIVE_INFINITY, 0};
        ga.tellFitness(f);
        assertEquals(3.0, ga.best().orElseThrow().fitness(), 0.0);
        assertArrayEquals(xs.get(2), ga.best().get().genome(), 0.0);
        assertEquals(List.of(ga.best().get()), ga.paretoFront());
    }

    @Test
    void restore_state_keepsTheSettings() {
        GenomeEncoding encoding = new GenomeEncoding(new Bounds(new double[] {-1, 0}, new double[] {1, 3}),
                new int[] {0});
        GeneticSettings settings = GeneticSettings.of(encoding).withDirection(Direction.MAXIMIZE)
                .withPopulationSize(9).withOffspringFraction(0.5).withTournamentSize(4).withMaxAge(20)
                .withVariation(new Variation(0.7, 10, 0.3, 15)).withIndicatorOnProbability(0.2)
                .withInitial(List.of(new double[] {1, 2.5}));
        GeneticSearch restored = GeneticSearch.restore(dev.evomerge.search.StateJson.parse(
                dev.evomerge.search.StateJson.write(GeneticSearch.start(settings, Xoshiro256.seeded(1)).state())));
        assertEquals(settings, restored.settings());
    }

    @Test
    void settings_invalid_throw() {
        GeneticSettings s = GeneticSettings.of(GenomeEncoding.reals(Bounds.box(2, 0, 1)));
        assertThrows(IllegalArgumentException.class, () -> s.withPopulationSize(1));
        assertThrows(IllegalArgumentException.class, () -> s.withOffspringFraction(0));
        assertThrows(IllegalArgumentException.class, () -> s.withTournamentSize(1));
        assertThrows(IllegalArgumentException.class, () -> s.withInitial(List.of(new double[] {2, 0})));
        List<double[]> many = new ArrayList<>();
        for (int i = 0; i < 51; i++) {
            many.add(new double[] {0, 0});
        }
        assertThrows(IllegalArgumentException.class, () -> s.withInitial(many));
        assertEquals(30, s.offspringCount());
    }
}
