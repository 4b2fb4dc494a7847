package dev.evomerge.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DirectionAndBoundsTest {

    @Test
    void toCost_failedScore_isPositiveInfinityInBothDirections() {
        assertEquals(Double.POSITIVE_INFINITY, Direction.MINIMIZE.toCost(Double.NaN));
        assertEquals(Double.POSITIVE_INFINITY, Direction.MAXIMIZE.toCost(Double.NaN));
        assertEquals(Double.POSITIVE_INFINITY, Direction.MAXIMIZE.toCost(Double.POSITIVE_INFINITY));
        assertEquals(-2.0, Direction.MAXIMIZE.toCost(2.0));
        assertEquals(2.0, Direction.MINIMIZE.toCost(2.0));
    }

    @Test
    void sanitize_nonFinite_becomesWorst() {
        assertEquals(Double.POSITIVE_INFINITY, Direction.MINIMIZE.sanitize(Double.NaN));
        assertEquals(Double.NEGATIVE_INFINITY, Direction.MAXIMIZE.sanitize(Double.POSITIVE_INFINITY));
        assertEquals(1.5, Direction.MAXIMIZE.sanitize(1.5));
    }

    @Test
    void isBetter_followsDirection() {
        assertTrue(Direction.MINIMIZE.isBetter(1, 2));
        assertTrue(Direction.MAXIMIZE.isBetter(2, 1));
        assertTrue(Direction.MAXIMIZE.isBetter(-1e300, Double.NaN));
        assertFalse(Direction.MINIMIZE.isBetter(1, 1));
    }

    @Test
    void ofKey_unknown_throws() {
        assertEquals(Direction.MAXIMIZE, Direction.ofKey("maximize"));
        assertThrows(IllegalArgumentException.class, () -> Direction.ofKey("max"));
    }

    @Test
    void bounds_lowerNotBelowUpper_throws() {
        assertThrows(IllegalArgumentException.class, () -> new Bounds(new double[] {1}, new double[] {1}));
        assertThrows(IllegalArgumentException.class, () -> new Bounds(new double[] {Double.NaN}, new double[] {1}));
        assertThrows(IllegalArgumentException.class, () -> new Bounds(new double[] {0, 0}, new double[] {1}));
    }

    @Test
    void bounds_contains_checksEveryCoordinateWithEnds() {
        Bounds b = Bounds.box(2, 0, 1);
        assertTrue(b.contains(new double[] {0, 1}));
        assertFalse(b.contains(new double[] {0, 1.0000001}));
        assertFalse(b.contains(new double[] {Double.NaN, 0.5}));
        assertFalse(b.contains(new double[] {0.5}));
        assertTrue(Bounds.unbounded(1).contains(new double[] {-1e300}));
        assertFalse(Bounds.unbounded(1).isFinite());
        assertTrue(b.isFinite());
    }
}
