package dev.evomerge.search.cmaes;

import java.util.function.ToDoubleFunction;

/** The standard test functions, defined as pycma's {@code cma.ff} defines them. */
final class TestFunctions {

    private TestFunctions() {
    }

    static final ToDoubleFunction<double[]> SPHERE = x -> {
        double s = 0;
        for (double v : x) {
            s += v * v;
        }
        return s;
    };

    /** {@code sum 1e6^(i/(n-1)) x_i^2}: condition number 1e6. */
    static final ToDoubleFunction<double[]> ELLIPSOID = x -> {
        int n = x.length;
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += StrictMath.pow(1e6, i / (n - 1.0)) * x[i] * x[i];
        }
        return s;
    };

    static final ToDoubleFunction<double[]> ROSENBROCK = x -> {
        double s = 0;
        for (int i = 0; i + 1 < x.length; i++) {
            double a = x[i + 1] - x[i] * x[i];
            double b = 1 - x[i];
            s += 100 * a * a + b * b;
        }
        return s;
    };

    static final ToDoubleFunction<double[]> RASTRIGIN = x -> {
        double s = 10.0 * x.length;
        for (double v : x) {
            s += v * v - 10 * StrictMath.cos(2 * Math.PI * v);
        }
        return s;
    };
}
