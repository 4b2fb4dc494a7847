package dev.evomerge.search.cmaes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.evomerge.search.Bounds;
import dev.evomerge.search.Xoshiro256;
import org.junit.jupiter.api.Test;

class BoxTransformTest {

    private static final BoxTransform UNIT = new BoxTransform(Bounds.box(1, 0, 1));

    private static double unit(double x) {
        return UNIT.toBounded(new double[] {x})[0];
    }

    @Test
    void toBounded_interior_isIdentity() {
        // Margins for [0, 1] are max(1, |bound|) / 20 = 0.05 on both sides.
        for (double x : new double[] {0.05, 0.2, 0.5, 0.95}) {
            assertEquals(x, unit(x), 0.0);
        }
    }

    @Test
    void toBounded_margins_areQuadratic() {
        // Below lb + al: lb + (x - (lb - al))^2 / (4 al).
        assertEquals(0.0, unit(-0.05), 0.0);
        assertEquals(0.0125, unit(0.0), 1e-15);
        assertEquals(1.0 - 0.0125, unit(1.0), 1e-15);
        assertEquals(1.0, unit(1.05), 0.0);
    }

    @Test
    void toBounded_anyPoint_staysWithinBoundsAndIsPeriodic() {
        Xoshiro256 r = Xoshiro256.seeded(6);
        double period = 2 * (1 + 0.05 + 0.05);
        for (int i = 0; i < 10_000; i++) {
            double x = r.nextGaussian() * 100;
            double y = unit(x);
            assertTrue(y >= 0 && y <= 1, x + " -> " + y);
            assertEquals(y, unit(x + period), 1e-12);
            // Mirror symmetry about the lower turning point lb - al.
            assertEquals(unit(-0.05 + 0.3), unit(-0.05 - 0.3), 1e-15);
        }
        assertTrue(unit(1e300) >= 0 && unit(-1e300) <= 1);
    }

    @Test
    void toBounded_isContinuousAcrossPieces() {
        for (double edge : new double[] {-0.05, 0.05, 0.95, 1.05}) {
            double h = 1e-9;
            assertEquals(unit(edge - h), unit(edge + h), 3e-9);
        }
    }

    @Test
    void toInternal_inBounds_isInverse() {
        BoxTransform t = new BoxTransform(new Bounds(new double[] {0, -5, Double.NEGATIVE_INFINITY, 3},
                new double[] {1, 5, 0.5, Double.POSITIVE_INFINITY}));
        double[][] points = {{0, -5, -100, 3}, {1, 5, 0.5, 3.01}, {0.5, 0.0, 0.49, 1e6}, {0.001, 4.99, -1, 3.2}};
        for (double[] y : points) {
            double[] back = t.toBounded(t.toInternal(y));
            for (int i = 0; i < y.length; i++) {
                assertEquals(y[i], back[i], 1e-12 * Math.max(1, Math.abs(y[i])));
            }
        }
    }

    @Test
    void toBounded_oneSidedBound_mirrorsOnlyThere() {
        BoxTransform lowerOnly = new BoxTransform(
                new Bounds(new double[] {0}, new double[] {Double.POSITIVE_INFINITY}));
        assertEquals(1e6, lowerOnly.toBounded(new double[] {1e6})[0], 0.0);
        double mirrored = lowerOnly.toBounded(new double[] {-3})[0];
        assertEquals(lowerOnly.toBounded(new double[] {2 * -0.05 + 3})[0], mirrored, 1e-15);
        assertTrue(mirrored >= 0);
        BoxTransform none = new BoxTransform(Bounds.unbounded(1));
        assertEquals(-7.25, none.toBounded(new double[] {-7.25})[0], 0.0);
    }

    @Test
    void toInternal_outOfBounds_throws() {
        assertThrows(IllegalArgumentException.class, () -> UNIT.toInternal(new double[] {1.5}));
    }
}
