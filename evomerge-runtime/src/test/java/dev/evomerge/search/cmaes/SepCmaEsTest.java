package dev.evomerge.search.cmaes;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.evomerge.search.Optimizer;
import dev.evomerge.search.Xoshiro256;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;

class SepCmaEsTest {

    /** The separable ellipsoid: sum of 10^(6 i / (n - 1)) x_i^2, condition 10^6. */
    private static double ellipsoid(double[] x) {
        double f = 0;
        for (int i = 0; i < x.length; i++) {
            f += Math.pow(10, 6.0 * i / (x.length - 1)) * x[i] * x[i];
        }
        return f;
    }

    /** Evaluations until the best value is below {@code target}, or -1 past {@code budget}. */
    private static long evaluationsTo(Optimizer o, ToDoubleFunction<double[]> f, double target, long budget) {
        while (o.evaluations() < budget) {
            List<double[]> xs = o.ask();
            double[] values = new double[xs.size()];
            double best = Double.POSITIVE_INFINITY;
            for (int k = 0; k < values.length; k++) {
                values[k] = f.applyAsDouble(xs.get(k));
                best = Math.min(best, values[k]);
            }
            o.tellFitness(values);
            if (best < target) {
                return o.evaluations();
            }
        }
        return -1;
    }

    @Test
    void separableEllipsoid_30d_reachesTheTargetAndFasterThanFullCma() {
        int n = 30;
        double[] x0 = new double[n];
        java.util.Arrays.fill(x0, 1.0);
        CmaEsSettings settings = CmaEsSettings.of(x0, 1.0)
                .withDirection(dev.evomerge.search.Direction.MINIMIZE);
        long sep = evaluationsTo(SepCmaEs.start(settings, Xoshiro256.seeded(1)), SepCmaEsTest::ellipsoid, 1e-8,
                200_000);
        long full = evaluationsTo(CmaEs.start(settings, Xoshiro256.seeded(1)), SepCmaEsTest::ellipsoid, 1e-8,
                200_000);
        assertTrue(sep > 0, "sep-CMA-ES did not reach 1e-8");
        // Ros and Hansen (2008): on separable functions the diagonal learns about n/3 times faster
        assertTrue(full < 0 || sep < full, "sep " + sep + " evaluations, full " + full);
    }

    @Test
    void sphere_1000d_progressesWithoutAFullMatrix() {
        int n = 1000;
        double[] x0 = new double[n];
        java.util.Arrays.fill(x0, 1.0);
        SepCmaEs cma = SepCmaEs.start(CmaEsSettings.of(x0, 0.5).withDirection(dev.evomerge.search.Direction.MINIMIZE),
                Xoshiro256.seeded(2));
        double first = Double.NaN;
        double last = Double.NaN;
        for (int g = 0; g < 300; g++) {
            List<double[]> xs = cma.ask();
            double[] values = new double[xs.size()];
            for (int k = 0; k < values.length; k++) {
                double s = 0;
                for (double v : xs.get(k)) {
                    s += v * v;
                }
                values[k] = s;
            }
            cma.tellFitness(values);
            if (g == 0) {
                first = java.util.Arrays.stream(values).min().orElseThrow();
            }
            last = java.util.Arrays.stream(values).min().orElseThrow();
        }
        assertTrue(last < first / 4, "first " + first + ", after 300 generations " + last);
    }
}
