package dev.evomerge.search.cmaes;

import dev.evomerge.diag.Requires;
import dev.evomerge.search.Bounds;
import dev.evomerge.search.Direction;
import java.util.Arrays;
import java.util.Objects;

/**
 * What a CMA-ES run is started with. Immutable; change with the {@code withX} copies.
 *
 * {@snippet :
 * CmaEsSettings settings = CmaEsSettings.of(x0, 1.0 / 6)   // x0 = 0.5 everywhere: Sakana's PS start
 *         .withBounds(Bounds.box(x0.length, 0.0, 1.0))
 *         .withDirection(Direction.MAXIMIZE);
 * CmaEs cma = CmaEs.start(settings, Xoshiro256.seeded(42));
 * }
 *
 * @param x0 the initial mean, within the bounds
 * @param sigma0 the initial step size (> 0), in the genome's units
 * @param populationSize lambda, the candidates per generation (>= 2); default {@code 4 + floor(3 ln n)}
 * @param bounds box bounds of the genome; handled by a boundary transformation (see {@link BoxTransform})
 * @param direction whether the fitness is minimised or maximised
 * @param activeCovariance whether the worst candidates get negative recombination weights in the rank-mu update
 *     (active CMA, the tutorial's default since 2016 and pycma's {@code CMA_active=True}); off gives the classic
 *     positive-weights-only update
 * @param tolerances the algorithm's own termination criteria
 */
public record CmaEsSettings(double[] x0, double sigma0, int populationSize, Bounds bounds, Direction direction,
        boolean activeCovariance, CmaEsTolerances tolerances) {

    public CmaEsSettings {
        Requires.nonNull("bounds, direction, tolerances", bounds, direction, tolerances);
        x0 = x0.clone();
        if (x0.length != bounds.dimension()) {
            throw new IllegalArgumentException("x0 has " + x0.length + " coordinates, bounds have "
                    + bounds.dimension());
        }
        if (!bounds.contains(x0)) {
            throw new IllegalArgumentException("x0 " + Arrays.toString(x0) + " is not within " + bounds);
        }
        if (!(sigma0 > 0) || !Double.isFinite(sigma0)) {
            throw new IllegalArgumentException("sigma0 must be finite and > 0, got " + sigma0);
        }
        if (populationSize < 2) {
            throw new IllegalArgumentException("population size must be >= 2, got " + populationSize);
        }
    }

    /**
     * Settings with the defaults: population {@code 4 + floor(3 ln n)}, no bounds, minimising, active covariance
     * update, default tolerances.
     */
    public static CmaEsSettings of(double[] x0, double sigma0) {
        return new CmaEsSettings(x0, sigma0, defaultPopulationSize(x0.length), Bounds.unbounded(x0.length),
                Direction.MINIMIZE, true, CmaEsTolerances.defaults());
    }

    /** The tutorial's default population size for dimension n: {@code 4 + floor(3 ln n)}. */
    public static int defaultPopulationSize(int n) {
        if (n <= 0) {
            throw new IllegalArgumentException("dimension must be > 0, got " + n);
        }
        return 4 + (int) Math.floor(3.0 * StrictMath.log(n));
    }

    public int dimension() {
        return x0.length;
    }

    @Override
    public double[] x0() {
        return x0.clone();
    }

    public CmaEsSettings withPopulationSize(int lambda) {
        return new CmaEsSettings(x0, sigma0, lambda, bounds, direction, activeCovariance, tolerances);
    }

    public CmaEsSettings withBounds(Bounds b) {
        return new CmaEsSettings(x0, sigma0, populationSize, b, direction, activeCovariance, tolerances);
    }

    public CmaEsSettings withDirection(Direction d) {
        return new CmaEsSettings(x0, sigma0, populationSize, bounds, d, activeCovariance, tolerances);
    }

    public CmaEsSettings withActiveCovariance(boolean active) {
        return new CmaEsSettings(x0, sigma0, populationSize, bounds, direction, active, tolerances);
    }

    public CmaEsSettings withTolerances(CmaEsTolerances t) {
        return new CmaEsSettings(x0, sigma0, populationSize, bounds, direction, activeCovariance, t);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CmaEsSettings s && Arrays.equals(x0, s.x0)
                && Double.compare(sigma0, s.sigma0) == 0 && populationSize == s.populationSize
                && bounds.equals(s.bounds) && direction == s.direction && activeCovariance == s.activeCovariance
                && tolerances.equals(s.tolerances);
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(x0), sigma0, populationSize, bounds, direction, activeCovariance,
                tolerances);
    }

    @Override
    public String toString() {
        return "CmaEsSettings[x0=" + Arrays.toString(x0) + ", sigma0=" + sigma0 + ", populationSize="
                + populationSize + ", bounds=" + bounds + ", direction=" + direction + ", activeCovariance="
                + activeCovariance + ", tolerances=" + tolerances + "]";
    }
}
