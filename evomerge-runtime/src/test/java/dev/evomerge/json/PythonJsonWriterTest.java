package dev.evomerge.json;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class PythonJsonWriterTest {

    @Test
    void floatRepr_typicalConfigValues_matchPythonRepr() {
        // Expected strings are what Python 3 prints for repr(x).
        assertEquals("1e-06", PythonJsonWriter.floatRepr(1e-6));
        assertEquals("1e-05", PythonJsonWriter.floatRepr(1e-5));
        assertEquals("0.0001", PythonJsonWriter.floatRepr(1e-4));
        assertEquals("0.02", PythonJsonWriter.floatRepr(0.02));
        assertEquals("10000.0", PythonJsonWriter.floatRepr(10000.0));
        assertEquals("500000.0", PythonJsonWriter.floatRepr(500000.0));
        assertEquals("1e+16", PythonJsonWriter.floatRepr(1e16));
        assertEquals("1234567890123456.0", PythonJsonWriter.floatRepr(1234567890123456.0));
        assertEquals("-2.5e-07", PythonJsonWriter.floatRepr(-2.5e-7));
        assertEquals("0.1", PythonJsonWriter.floatRepr(0.1));
        assertEquals("-0.0", PythonJsonWriter.floatRepr(-0.0));
        assertEquals("1.7976931348623157e+308", PythonJsonWriter.floatRepr(Double.MAX_VALUE));
    }

    @Test
    void write_nestedTree_isLaidOutLikeJsonDumpsIndent2() throws Exception {
        var tree = new ObjectMapper().readTree(
                "{\"a\": 1, \"b\": [1, 2.0, \"x\"], \"c\": {}, \"d\": [], \"e\": {\"f\": null, \"g\": true},"
                        + " \"h\": \"caf\u00e9\"}");
        assertEquals("""
                {
                  "a": 1,
                  "b": [
                    1,
                    2.0,
                    "x"
                  ],
                  "c": {},
                  "d": [],
                  "e": {
                    "f": null,
                    "g": true
                  },
                  "h": "caf\\u00e9"
                }""", PythonJsonWriter.write(tree));
    }
}
