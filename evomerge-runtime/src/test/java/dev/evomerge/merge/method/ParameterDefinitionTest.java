package dev.evomerge.merge.method;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.evomerge.diag.RunException;
import dev.evomerge.merge.ParameterValues;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class ParameterDefinitionTest {

    private static final ParameterDefinition DENSITY = ParameterDefinition.optional("density", ParameterKind.NUMBER, 1);
    private static final ParameterDefinition WEIGHT = ParameterDefinition.required("weight", ParameterKind.NUMBER);

    @Test
    void valueIn_unset_givesDefault() {
        assertEquals(1.0, DENSITY.valueIn(ParameterValues.empty(), "m:t"));
        assertEquals(0.3, DENSITY.valueIn(ParameterValues.of("density", 0.3), "m:t"));
    }

    @Test
    void valueIn_requiredUnset_failsLikeMergekit() {
        RunException e = assertThrows(RunException.class, () -> WEIGHT.valueIn(ParameterValues.empty(), "a:x.weight"));
        assertEquals("missing required parameter 'weight' for a:x.weight; set 'weight' under the model's parameters"
                + " or in the top-level parameters", e.userMessage());
    }

    @Test
    void flagIn_onlyZeroOrOne() {
        ParameterDefinition normalize = ParameterDefinition.optional("normalize", ParameterKind.BOOLEAN, 1);
        assertTrue(normalize.flagIn(ParameterValues.empty(), "t"));
        assertFalse(normalize.flagIn(ParameterValues.of("normalize", false), "t"));
        assertThrows(RunException.class, () -> normalize.flagIn(ParameterValues.of("normalize", 2), "t"));
    }

    @Test
    void intIn_wholeNumbersOnly() {
        ParameterDefinition maxIter = ParameterDefinition.optional("max_iter", ParameterKind.INTEGER, 10);
        assertEquals(5, maxIter.intIn(ParameterValues.of("max_iter", 5.0), "t"));
        assertThrows(RunException.class, () -> maxIter.intIn(ParameterValues.of("max_iter", 5.5), "t"));
    }

    @Test
    void find_optionalWithoutDefault_isEmpty() {
        ParameterDefinition scale = ParameterDefinition.optionalWithoutDefault("scale", ParameterKind.NUMBER);
        assertEquals(OptionalDouble.empty(), scale.find(ParameterValues.empty()));
    }

    @Test
    void constructor_requiredWithDefault_rejected() {
        assertThrows(IllegalArgumentException.class,
                () -> new ParameterDefinition("w", ParameterKind.NUMBER, true, OptionalDouble.of(1)));
    }
}
