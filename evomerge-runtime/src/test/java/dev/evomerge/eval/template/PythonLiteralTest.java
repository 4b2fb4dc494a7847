package dev.evomerge.eval.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Expected values are what {@code ast.literal_eval} returns for the same text. */
class PythonLiteralTest {

    @Test
    void parse_listOfStrings_asLiteralEval() {
        assertEquals(List.of("blue", "it's", "say \"hi\""),
                PythonLiteral.parse("['blue', \"it's\", 'say \\\"hi\\\"']"));
        assertEquals(List.of("caf\u00e9 au lait", "x\ny"), PythonLiteral.parse("['caf\\xe9 au lait', 'x\\ny']"));
    }

    @Test
    void parse_scalars_pythonTypes() {
        assertEquals(7L, PythonLiteral.parse("7"));
        assertEquals(-7L, PythonLiteral.parse("-7"));
        assertEquals(2.5, PythonLiteral.parse("2.5"));
        assertEquals(1e-5, PythonLiteral.parse("1e-05"));
        assertEquals(1_000L, PythonLiteral.parse("1_000"));
        assertEquals(new BigInteger("123456789012345678901234567890"),
                PythonLiteral.parse("123456789012345678901234567890"));
        assertEquals(true, PythonLiteral.parse("True"));
        assertNull(PythonLiteral.parse("None"));
        assertEquals("ab", PythonLiteral.parse("'a' \"b\""));
        assertEquals("a\\nb", PythonLiteral.parse("r'a\\nb'"));
        assertEquals("x", PythonLiteral.parse("  ('x')  "));
    }

    @Test
    void parse_containers_nestedListsTuplesDicts() {
        assertEquals(Arrays.asList(List.of(1L, 2L), List.of("a"), null, List.of()),
                PythonLiteral.parse("[(1, 2), ['a',], None, ()]"));
        Object dict = PythonLiteral.parse("{'a': [1, 2.0], 'b': {'c': False}}");
        assertEquals(Map.of("a", List.of(1L, 2.0), "b", Map.of("c", false)), dict);
        assertEquals(List.of(1L, 2L), PythonLiteral.parse("{1, 2}"));
    }

    @Test
    void parse_notALiteral_saysWhere() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PythonLiteral.parse("[a, b]"));
        assertTrue(e.getMessage().contains("'a' is not a literal at character 2"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PythonLiteral.parse("['open"));
        assertThrows(IllegalArgumentException.class, () -> PythonLiteral.parse("[1, 2] tail"));
        assertThrows(IllegalArgumentException.class, () -> PythonLiteral.parse("007"));
        assertThrows(IllegalArgumentException.class, () -> PythonLiteral.parse(""));
    }
}
