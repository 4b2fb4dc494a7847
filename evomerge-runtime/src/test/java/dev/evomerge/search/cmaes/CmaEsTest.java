package dev.evomerge.search.cmaes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.evomerge.search.Bounds;
import dev.evomerge.search.Direction;
import dev.evomerge.search.StateJson;
import dev.evomerge.search.Xoshiro256;
import java.util.Arrays;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;

class CmaEsTest {

    private static double[] filled(int n, double v) {
        double[] x = new double[n];
        Arrays.fill(x, v);
        return x;
    }

    /** Runs until the target, the optimizer's own termination or the budget; returns the search. */
    private static CmaEs run(CmaEs cma, ToDoubleFunction<double[]> f, double target, long budget) {
        while (cma.termination().isEmpty() && cma.evaluations() < budget
                && (cma.best().isEmpty() || cma.best().get().fitness() > target)) {
            List<double[]> xs = cma.ask();
            double[] fs = new double[xs.size()];
            for (int k = 0; k < fs.length; k++) {
                fs[k] = f.applyAsDouble(xs.get(k));
            }
            cma.tellFitness(fs);
        }
        return cma;
    }

    @Test
    void start_defaults_useTutorialPopulationAndX0() {
        CmaEs cma = CmaEs.start(CmaEsSettings.of(filled(10, 3), 2), Xoshiro256.seeded(1));
        assertEquals(10, cma.ask().size());
        assertEquals(CmaEsSettings.defaultPopulationSize(6), CmaEs.start(CmaEsSettings.of(filled(6, 0), 1),
                Xoshiro256.seeded(1)).ask().size());
        assertArrayEquals(filled(10, 3), cma.mean(), 0.0);
        assertEquals(2.0, cma.sigma(), 0.0);
        assertEquals("cmaes", cma.kind());
    }

    @Test
    void tell_sphere_convergesAndReportsBest() {
        CmaEs cma = run(CmaEs.start(CmaEsSettings.of(filled(10, 3), 2), Xoshiro256.seeded(2)),
                TestFunctions.SPHERE, 1e-10, 100_000);
        double best = cma.best().orElseThrow().fitness();
        assertTrue(best <= 1e-10, "best " + best);
        assertEquals(best, TestFunctions.SPHERE.applyAsDouble(cma.best().get().genome()), 0.0);
        assertTrue(cma.evaluations() < 3000, "evaluations " + cma.evaluations());
    }

    @Test
    void tell_maximisingNegatedFunction_takesTheSameStepsAsMinimising() {
        CmaEs min = CmaEs.start(CmaEsSettings.of(filled(5, 1), 0.5), Xoshiro256.seeded(3));
        CmaEs max = CmaEs.start(CmaEsSettings.of(filled(5, 1), 0.5).withDirection(Direction.MAXIMIZE),
                Xoshiro256.seeded(3));
        for (int g = 0; g < 30; g++) {
            List<double[]> a = min.ask();
            List<double[]> b = max.ask();
            double[] fa = new double[a.size()];
            double[] fb = new double[b.size()];
            for (int k = 0; k < a.size(); k++) {
                assertArrayEquals(a.get(k), b.get(k), 0.0);
                fa[k] = TestFunctions.ELLIPSOID.applyAsDouble(a.get(k));
                fb[k] = -TestFunctions.ELLIPSOID.applyAsDouble(b.get(k));
            }
            min.tellFitness(fa);
            max.tellFitness(fb);
        }
        assertEquals(min.best().orElseThrow().fitness(), -max.best().orElseThrow().fitness(), 0.0);
    }

    @Test
    void tell_optimumOnTheBoundary_convergesToTheBound() {
        // Minimise sum (x_i - 1.5)^2 within [0, 1]^4: the optimum is the corner x = 1.
        Bounds unit = Bounds.box(4, 0, 1);
        CmaEs cma = CmaEs.start(CmaEsSettings.of(filled(4, 0.5), 1.0 / 6).withBounds(unit), Xoshiro256.seeded(4));
        run(cma, x -> {
            double s = 0;
            for (double v : x) {
                s += (v - 1.5) * (v - 1.5);
            }
            return s;
        }, 0, 3000);
        for (double v : cma.best().orElseThrow().genome()) {
            assertEquals(1.0, v, 1e-6);
        }
    }

    @Test
    void tell_sakanaStartWithDensitiesAtBounds_staysWithinBounds() {
        // x0 on the bounds themselves (density 1, weight 0) is allowed and maps inside.
        Bounds unit = Bounds.box(6, 0, 1);
        double[] x0 = {1, 0, 1, 0, 1, 0};
        CmaEs cma = CmaEs.start(CmaEsSettings.of(x0, 1.0 / 6).withBounds(unit), Xoshiro256.seeded(5));
        assertArrayEquals(x0, cma.mean(), 1e-15);
        for (int g = 0; g < 20; g++) {
            List<double[]> xs = cma.ask();
            double[] f = new double[xs.size()];
            for (int k = 0; k < f.length; k++) {
                assertTrue(unit.contains(xs.get(k)));
                f[k] = TestFunctions.SPHERE.applyAsDouble(xs.get(k));
            }
            cma.tellFitness(f);
        }
    }

    @Test
    void tell_failuresAroundTheOptimum_stillConverges() {
        // A third of the candidates fail at random, NaN: the update goes on with the rest ranked first.
        Xoshiro256 failures = Xoshiro256.seeded(99);
        CmaEs cma = CmaEs.start(CmaEsSettings.of(filled(10, 3), 2), Xoshiro256.seeded(6));
        run(cma, x -> failures.nextInt(3) == 0 ? Double.NaN : TestFunctions.SPHERE.applyAsDouble(x), 1e-8, 20_000);
        assertTrue(cma.best().orElseThrow().fitness() <= 1e-8, cma.best().get().toString());
    }

    @Test
    void tell_everyCandidateFailed_leavesTheDistributionUnchanged() {
        CmaEs cma = CmaEs.start(CmaEsSettings.of(filled(3, 1), 0.7), Xoshiro256.seeded(7));
        run(cma, TestFunctions.SPHERE, 0, 50);
        String before = StateJson.write(cma.state().without(List.of("random", "generation", "evaluations",
                "pending", "termination", "eigenGeneration")));
        double[] mean = cma.mean();
        double sigma = cma.sigma();
        cma.ask();
        cma.tellFitness(filled(cma.parameters().lambda(), Double.NaN));
        assertArrayEquals(mean, cma.mean(), 0.0);
        assertEquals(sigma, cma.sigma(), 0.0);
        String after = StateJson.write(cma.state().without(List.of("random", "generation", "evaluations",
                "pending", "termination", "eigenGeneration")));
        assertEquals(before, after);
    }

    @Test
    void termination_convergedWithoutTarget_reportsTolfunOrTolx() {
        CmaEs cma = run(CmaEs.start(CmaEsSettings.of(filled(4, 1), 0.5), Xoshiro256.seeded(8)),
                TestFunctions.SPHERE, Double.NEGATIVE_INFINITY, 200_000);
        String reason = cma.termination().orElseThrow();
        assertTrue(reason.equals("tolfun") || reason.equals("tolx"), reason);
        assertTrue(cma.best().orElseThrow().fitness() < 1e-10, cma.best().get().toString());
    }

    @Test
    void termination_flatFunction_reportsTolfun() {
        CmaEs cma = run(CmaEs.start(CmaEsSettings.of(filled(4, 1), 0.5), Xoshiro256.seeded(9)), x -> 1.0,
                Double.NEGATIVE_INFINITY, 10_000);
        assertEquals("tolfun", cma.termination().orElseThrow());
        assertEquals(10 + (int) Math.ceil(30.0 * 4 / 8), cma.generation());
    }

    @Test
    void restore_state_keepsTheSettings() {
        CmaEsSettings settings = CmaEsSettings.of(new double[] {0.5, 0, 1}, 0.2).withBounds(Bounds.box(3, 0, 1))
                .withDirection(Direction.MAXIMIZE).withActiveCovariance(false).withPopulationSize(7)
                .withTolerances(new CmaEsTolerances(1e-9, 1e-10, 1e10, 1e12));
        CmaEs restored = CmaEs.restore(StateJson.parse(StateJson.write(CmaEs.start(settings, Xoshiro256.seeded(1))
                .state())));
        assertEquals(settings, restored.settings());
    }

    @Test
    void settings_invalid_throw() {
        assertThrows(IllegalArgumentException.class, () -> CmaEsSettings.of(filled(2, 0), 0));
        assertThrows(IllegalArgumentException.class, () -> CmaEsSettings.of(filled(2, 0), 1).withPopulationSize(1));
        assertThrows(IllegalArgumentException.class,
                () -> CmaEsSettings.of(filled(2, 2), 1).withBounds(Bounds.box(2, 0, 1)));
        assertThrows(IllegalArgumentException.class,
                () -> CmaEsSettings.of(filled(2, 0), 1).withBounds(Bounds.box(3, -1, 1)));
    }
}
