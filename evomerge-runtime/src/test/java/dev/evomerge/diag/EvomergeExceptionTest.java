package dev.evomerge.diag;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class EvomergeExceptionTest {

    @Test
    void userMessage_configWithPosition_namesFileLineColumnAndPath() {
        var e = new ConfigException(new SourceLocation(Path.of("merge.yml"), 3, 7, "models[1].model"),
                "model 'x' not found", "check the path");
        assertEquals("merge.yml:3:7 (models[1].model): model 'x' not found; check the path", e.userMessage());
    }

    @Test
    void userMessage_inputWithoutSuggestion_namesFileOnly() {
        var e = new InputException(Path.of("/m/model.safetensors"), "header length 9 exceeds the file size 4");
        assertEquals("/m/model.safetensors: header length 9 exceeds the file size 4", e.userMessage());
    }

    @Test
    void userMessage_runWithoutLocation_isMessageAndSuggestion() {
        var e = new RunException("evaluator command exited with status 3", "see its stderr above");
        assertEquals("evaluator command exited with status 3; see its stderr above", e.userMessage());
    }
}
