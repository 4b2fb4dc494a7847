package dev.evomerge.search;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.evomerge.diag.RunException;
import java.util.List;
import org.junit.jupiter.api.Test;

class StateJsonTest {

    @Test
    void doubles_throughJsonText_roundTripBitForBit() {
        Xoshiro256 r = Xoshiro256.seeded(3);
        double[] values = new double[10_000];
        for (int i = 0; i < values.length; i++) {
            double v;
            do {
                v = Double.longBitsToDouble(r.nextLong());   // every exponent, subnormals included
            } while (Double.isNaN(v));
            values[i] = v;
        }
        double[] special = {0.0, -0.0, Double.MIN_VALUE, -Double.MIN_VALUE, Double.MIN_NORMAL, Double.MAX_VALUE,
            0.1, 1.0 / 3, Math.nextUp(1.0), Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN};
        ObjectNode node = StateJson.object();
        node.set("random", StateJson.doubles(values));
        node.set("special", StateJson.doubles(special));
        node.set("one", StateJson.number(-0.0));
        JsonNode back = StateJson.parse(StateJson.write(node));
        assertBitsEqual(values, StateJson.doubles(back, "random", values.length));
        assertBitsEqual(special, StateJson.doubles(back, "special", special.length));
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(StateJson.doubleValue(back, "one")));
    }

    @Test
    void write_nonFiniteDouble_isNamedString() {
        ObjectNode node = StateJson.object();
        node.set("v", StateJson.doubles(new double[] {Double.NEGATIVE_INFINITY, 1.5}));
        assertEquals("{\"v\":[\"-Infinity\",1.5]}", StateJson.write(node));
    }

    @Test
    void longs_extremeValues_roundTrip() {
        long[] values = {Long.MIN_VALUE, -1, 0, Long.MAX_VALUE};
        ObjectNode node = StateJson.object();
        node.set("v", StateJson.longs(values));
        assertArrayEquals(values, StateJson.longs(StateJson.parse(StateJson.write(node)), "v", 4));
    }

    @Test
    void boundsAndDirections_roundTrip() {
        Bounds b = new Bounds(new double[] {Double.NEGATIVE_INFINITY, 0}, new double[] {2, Double.POSITIVE_INFINITY});
        ObjectNode node = StateJson.object();
        node.set("b", StateJson.bounds(b));
        node.set("d", StateJson.directions(List.of(Direction.MAXIMIZE, Direction.MINIMIZE)));
        JsonNode back = StateJson.parse(StateJson.write(node));
        assertEquals(b, StateJson.bounds(back, "b"));
        assertEquals(List.of(Direction.MAXIMIZE, Direction.MINIMIZE), StateJson.directions(back, "d"));
    }

    @Test
    void doubles_missingOrMistyped_throwsRunExceptionNamingField() {
        JsonNode node = StateJson.parse("{\"a\": [1, \"x\"], \"b\": 3}");
        RunException missing = assertThrows(RunException.class, () -> StateJson.doubles(node, "mean", 2));
        assertTrue(missing.getMessage().contains("'mean'"), missing.getMessage());
        RunException mistyped = assertThrows(RunException.class, () -> StateJson.doubles(node, "a", 2));
        assertTrue(mistyped.getMessage().contains("'a[1]'"), mistyped.getMessage());
        RunException wrongLength = assertThrows(RunException.class, () -> StateJson.doubles(node, "a", 3));
        assertTrue(wrongLength.getMessage().contains("3"), wrongLength.getMessage());
        assertThrows(RunException.class, () -> StateJson.text(node, "b"));
    }

    @Test
    void requireHeader_otherOptimizer_throwsWithBothNames() {
        JsonNode state = StateJson.header("ga", 1);
        RunException e = assertThrows(RunException.class, () -> StateJson.requireHeader(state, "cmaes", 1));
        assertEquals("the optimizer state is for 'ga', not 'cmaes'", e.getMessage());
        assertThrows(RunException.class, () -> StateJson.requireHeader(StateJson.header("ga", 2), "ga", 1));
    }

    @Test
    void parse_invalidJson_throwsRunException() {
        assertThrows(RunException.class, () -> StateJson.parse("{\"a\": "));
    }

    private static void assertBitsEqual(double[] expected, double[] actual) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(Double.doubleToRawLongBits(expected[i]), Double.doubleToRawLongBits(actual[i]),
                    "index " + i + ": " + expected[i] + " vs " + actual[i]);
        }
    }
}
