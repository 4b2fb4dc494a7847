package dev.evomerge.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.evomerge.diag.InputException;
import dev.evomerge.tensor.DType;
import dev.evomerge.tensor.Shape;
import dev.evomerge.tensor.io.InMemoryTensors;
import dev.evomerge.tensor.io.ModelWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelDirectoryTest {

    @TempDir
    Path tmp;

    private final Architectures families = Architectures.builtIn();

    private ResolvedModel model(String config, List<String> tensors) {
        Path dir = tmp.resolve("m");
        InMemoryTensors t = new InMemoryTensors();
        tensors.forEach(n -> t.putFloats(n, DType.F32, Shape.of(2), new float[] {1, 2}));
        ModelWriter.writeAll(dir, t, tensors, Long.MAX_VALUE, false,
                Map.of("config.json", config.getBytes(StandardCharsets.UTF_8)));
        return new ResolvedModel(ModelReference.of(dir.toString()), dir, false);
    }

    @Test
    void load_knownFamily_layerCountFromConfigAndTiedDefault() {
        ModelDirectory m = ModelDirectory.load(model("""
                {"architectures": ["Gemma2ForCausalLM"], "model_type": "gemma2", "num_hidden_layers": 2}""",
                List.of("model.embed_tokens.weight")), families);
        assertEquals("gemma2", m.architecture().name());
        assertEquals(2, m.layerCount());
        assertEquals(1 + 2 * 11 + 2, m.weights().size());
        assertTrue(m.tiedEmbeddings());
    }

    @Test
    void load_unknownFamily_infersFromItsTensors() {
        ModelDirectory m = ModelDirectory.load(model("""
                {"architectures": ["GPT2LMHeadModel"], "model_type": "gpt2", "n_layer": 2}""",
                List.of("h.0.attn.weight", "h.1.attn.weight", "wte.weight")), families);
        assertTrue(m.architecture().isInferred());
        assertEquals(2, m.layerCount());
        assertEquals(List.of("wte.weight", "h.0.attn.weight", "h.1.attn.weight"),
                m.weights().stream().map(WeightInfo::name).toList());
        assertFalse(m.tiedEmbeddings());
    }

    @Test
    void load_pickleCheckpointOnly_refusedWithConvertAdvice() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("pickled"));
        Files.writeString(dir.resolve("config.json"), "{\"architectures\": [\"LlamaForCausalLM\"]}");
        Files.write(dir.resolve("pytorch_model.bin"), new byte[] {0x50, 0x4b, 3, 4});
        var e = assertThrows(InputException.class, () -> ModelDirectory.load(
                new ResolvedModel(ModelReference.of("pickled"), dir, false), families));
        assertTrue(e.userMessage().startsWith(dir + ": holds only pickle checkpoints (pytorch_model*.bin), which"
                + " evomerge never unpickles; convert the model to safetensors"), e.userMessage());
    }

    @Test
    void load_missingConfig_errorNamesIt() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("empty"));
        var e = assertThrows(InputException.class, () -> ModelDirectory.load(
                new ResolvedModel(ModelReference.of("empty"), dir, false), families));
        assertEquals(dir.resolve("config.json") + ": file not found; a model directory needs its config.json",
                e.userMessage());
    }
}
