package dev.evomerge.eval.template;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Expected texts are what CPython 3.11 prints for the same values. */
class PythonValuesTest {

    @Test
    void floatRepr_values_printAsPython() {
        assertEquals("0.1", PythonValues.floatRepr(0.1));
        assertEquals("1.0", PythonValues.floatRepr(1.0));
        assertEquals("12345678.0", PythonValues.floatRepr(12345678.0));
        assertEquals("1000000000000000.0", PythonValues.floatRepr(1e15));
        assertEquals("1e+16", PythonValues.floatRepr(1e16));
        assertEquals("1.5e+16", PythonValues.floatRepr(1.5e16));
        assertEquals("0.0001", PythonValues.floatRepr(1e-4));
        assertEquals("1e-05", PythonValues.floatRepr(1e-5));
        assertEquals("-2.5e-07", PythonValues.floatRepr(-2.5e-7));
        assertEquals("-0.0", PythonValues.floatRepr(-0.0));
        assertEquals("nan", PythonValues.floatRepr(Double.NaN));
        assertEquals("-inf", PythonValues.floatRepr(Double.NEGATIVE_INFINITY));
        assertEquals("0.30000000000000004", PythonValues.floatRepr(0.1 + 0.2));
    }

    @Test
    void str_scalarsAndContainers_printAsPython() {
        assertEquals("True", PythonValues.str(true));
        assertEquals("None", PythonValues.str(null));
        assertEquals("42", PythonValues.str(42L));
        assertEquals("text", PythonValues.str("text"));
        assertEquals("['a', 'b c', 3, 2.5, True, None]",
                PythonValues.str(Arrays.asList("a", "b c", 3L, 2.5, true, null)));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("k", List.of("x"));
        m.put("n", 1L);
        assertEquals("{'k': ['x'], 'n': 1}", PythonValues.str(m));
    }

    @Test
    void stringRepr_quotesAndEscapes_asPython() {
        assertEquals("'plain'", PythonValues.stringRepr("plain"));
        assertEquals("\"it's\"", PythonValues.stringRepr("it's"));
        assertEquals("'say \"hi\"'", PythonValues.stringRepr("say \"hi\""));
        assertEquals("'both \\' and \"'", PythonValues.stringRepr("both ' and \""));
        assertEquals("'a\\nb\\tc\\\\d'", PythonValues.stringRepr("a\nb\tc\\d"));
        assertEquals("'caf\u00e9 \\x00 \\u200b'", PythonValues.stringRepr("caf\u00e9 \u0000 \u200b"));
    }
}
