package dev.evomerge.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ModelReferenceTest {

    @Test
    void parse_mergekitForms_splitPathRevisionAndLora() {
        assertEquals(new ModelReference("user/model", null, null), ModelReference.parse("user/model"));
        assertEquals(new ModelReference("user/model", "v0.0.1", null), ModelReference.parse("user/model@v0.0.1"));
        ModelReference withLora = ModelReference.parse("user/model@v0.0.1+user/lora@main");
        assertEquals("user/model", withLora.path());
        assertEquals("v0.0.1", withLora.revision());
        assertEquals(new ModelReference("user/lora", "main", null), withLora.lora());
        assertNull(ModelReference.parse("user/model+user/lora").lora().revision());
    }

    @Test
    void parse_malformed_refusedWithMergekitWording() {
        assertEquals("Invalid model path '@@@@@': more than one '@'",
                assertThrows(IllegalArgumentException.class, () -> ModelReference.parse("@@@@@")).getMessage());
        assertEquals("Can't parse model reference 'a+b+c': more than one '+'",
                assertThrows(IllegalArgumentException.class, () -> ModelReference.parse("a+b+c")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> ModelReference.parse("a+b+c@d+e@f@g"));
        assertThrows(IllegalArgumentException.class, () -> ModelReference.parse("model@"));
    }

    @Test
    void toString_anyReference_parsesBackEqual() {
        for (String s : new String[] {"a", "org/a@rev", "org/a+org/l", "org/a@r1+org/l@r2", "./local/dir"}) {
            assertEquals(ModelReference.parse(s), ModelReference.parse(ModelReference.parse(s).toString()), s);
            assertEquals(s, ModelReference.parse(s).toString());
        }
    }
}
