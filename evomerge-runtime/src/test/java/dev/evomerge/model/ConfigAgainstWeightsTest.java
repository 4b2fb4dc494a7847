package dev.evomerge.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.evomerge.diag.InputException;
import dev.evomerge.tensor.DType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A config.json that disagrees with the weights it comes with is refused with both numbers. */
class ConfigAgainstWeightsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private Path model(String key, int value) throws IOException {
        Path m = dir.resolve("m");
        new SyntheticModel("llama", 2, 32, 64, 64, 4, 2, DType.F32, 1).write(m, false);
        ObjectNode config = (ObjectNode) JSON.readTree(m.resolve("config.json").toFile());
        config.put(key, value);
        Files.writeString(m.resolve("config.json"), JSON.writeValueAsString(config));
        return m;
    }

    private static ModelDirectory load(Path m) {
        return ModelDirectory.load(new ResolvedModel(ModelReference.of("m"), m, false), Architectures.builtIn());
    }

    @Test
    void load_fewerLayersDeclaredThanWeighed_refusedWithBothNumbers() throws IOException {
        Path m = model("num_hidden_layers", 1);
        var e = assertThrows(InputException.class, () -> load(m));
        assertEquals(m.resolve("config.json") + ": num_hidden_layers is 1 but the weights hold 2 layers; fix"
                + " config.json to match the weights", e.userMessage());
    }

    @Test
    void load_moreLayersDeclared_refused() throws IOException {
        Path m = model("num_hidden_layers", 3);
        var e = assertThrows(InputException.class, () -> load(m));
        assertEquals(m.resolve("config.json") + ": num_hidden_layers is 3 but the weights hold 2 layers; fix"
                + " config.json to match the weights", e.userMessage());
    }

    @Test
    void load_wrongHiddenSize_refusedWithBothNumbers() throws IOException {
        Path m = model("hidden_size", 48);
        var e = assertThrows(InputException.class, () -> load(m));
        assertEquals(m.resolve("config.json") + ": hidden_size is 48 but the weights' model.embed_tokens.weight"
                + " has width 32; fix config.json to match the weights", e.userMessage());
    }

    @Test
    void load_agreeingConfig_loads() throws IOException {
        assertEquals(2, load(model("num_hidden_layers", 2)).layerCount());
    }
}
