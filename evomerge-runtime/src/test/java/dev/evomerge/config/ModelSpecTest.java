package dev.evomerge.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.evomerge.diag.SourceLocation;
import dev.evomerge.model.ModelReference;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ModelSpecTest {

    @Test
    void equals_samePlaceIndependent_overrideMatters() {
        ModelSpec here = ModelSpec.of("org/a@v1");
        ModelSpec there = here.at(new SourceLocation(Path.of("merge.yml"), 7, 3, "base_model"));
        assertEquals(here, there);
        assertEquals(here.hashCode(), there.hashCode());
        assertNotEquals(here, new ModelSpec(here.reference(), "LlamaForCausalLM", MergeConfig.GENERATED));
        assertNotEquals(here, ModelSpec.of("org/a"));
    }

    @Test
    void toString_isMergekitStringForm() {
        assertEquals("org/a@v1+org/l", new ModelSpec(new ModelReference("org/a", "v1", ModelReference.of("org/l")),
                "X", MergeConfig.GENERATED).toString());
    }
}
