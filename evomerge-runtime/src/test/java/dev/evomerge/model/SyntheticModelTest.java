package dev.evomerge.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.evomerge.tensor.DType;
import dev.evomerge.tensor.Shape;
import dev.evomerge.tensor.TensorInfo;
import dev.evomerge.tensor.io.SafetensorsModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyntheticModelTest {

    @TempDir
    Path tmp;

    private static SyntheticModel spec(String family, long seed) {
        return new SyntheticModel(family, 2, 64, 96, 100, 4, 2, DType.BF16, seed);
    }

    @Test
    void tensors_qwen2_includesBiasesWithGqaShapes() {
        Map<String, Shape> shapes = new java.util.HashMap<>();
        spec("qwen2", 0).tensors().forEach(t -> shapes.put(t.name(), t.shape()));
        assertEquals(Shape.of(64, 64), shapes.get("model.layers.1.self_attn.q_proj.weight"));
        assertEquals(Shape.of(32, 64), shapes.get("model.layers.1.self_attn.k_proj.weight"));
        assertEquals(Shape.of(32), shapes.get("model.layers.0.self_attn.v_proj.bias"));
        assertEquals(Shape.of(64, 96), shapes.get("model.layers.0.mlp.down_proj.weight"));
        assertEquals(Shape.of(100, 64), shapes.get("lm_head.weight"));
        assertEquals(1 + 2 * 12 + 2, shapes.size());
    }

    @Test
    void parameterCount_eachFamily_equalsWhatTransformersCounted() throws IOException {
        JsonNode check = new ObjectMapper().readTree(Path.of("src/test/resources/model/synth-check.json").toFile());
        for (String family : SyntheticModel.FAMILIES) {
            JsonNode r = check.get(family);
            long ours = spec(family, 5).tensors().stream().mapToLong(TensorInfo::numel).sum();
            assertEquals(r.get("parameters").asLong(), ours, family);
            assertTrue(r.get("logits_finite").asBoolean(), family);
            assertEquals("hello world 42", r.get("decoded").asText(), family);
        }
    }

    @Test
    void write_sameArguments_byteIdenticalAndConfigLoadsBack() throws IOException {
        Path a = tmp.resolve("a");
        Path b = tmp.resolve("b");
        spec("mistral", 3).write(a, false);
        spec("mistral", 3).write(b, false);
        for (String f : List.of("model.safetensors", "config.json", "tokenizer.json", "tokenizer_config.json")) {
            assertArrayEquals(Files.readAllBytes(a.resolve(f)), Files.readAllBytes(b.resolve(f)), f);
        }
        ModelConfig c = ModelConfig.read(a.resolve("config.json"));
        assertEquals(List.of("MistralForCausalLM"), c.architectures());
        assertEquals("bfloat16", c.torchDtype().orElseThrow());
        assertEquals(2, c.numKeyValueHeads());
        Path other = tmp.resolve("c");
        spec("mistral", 4).write(other, false);
        assertNotEquals(-1, java.util.Arrays.mismatch(Files.readAllBytes(a.resolve("model.safetensors")),
                Files.readAllBytes(other.resolve("model.safetensors"))), "another seed gives other weights");
    }

    @Test
    void write_weights_normalWithStd002AndNormsAtOne() throws IOException {
        Path dir = tmp.resolve("m");
        new SyntheticModel("llama", 1, 256, 512, 1000, 4, 4, DType.F32, 9).write(dir, false);
        try (SafetensorsModel m = SafetensorsModel.open(dir)) {
            float[] embed = m.floats("model.embed_tokens.weight");
            double mean = 0;
            double sq = 0;
            for (float v : embed) {
                mean += v;
                sq += (double) v * v;
            }
            mean /= embed.length;
            double std = Math.sqrt(sq / embed.length - mean * mean);
            assertEquals(0, mean, 3e-4);
            assertEquals(0.02, std, 2e-4);
            for (float v : m.floats("model.norm.weight")) {
                assertEquals(1f, v);
            }
        }
    }

    @Test
    void perturb_noise_addsScaledGaussianToEveryTensor() throws IOException {
        Path base = tmp.resolve("base");
        new SyntheticModel("llama", 1, 128, 256, 500, 4, 4, DType.F32, 1).write(base, false);
        Path tuned = tmp.resolve("tuned");
        ModelDirectory baseDir = ModelDirectory.load(new ResolvedModel(ModelReference.of(base.toString()), base,
                false), Architectures.builtIn());
        SyntheticModel.perturb(baseDir, tuned, 0.1, 2, false);
        try (SafetensorsModel a = SafetensorsModel.open(base); SafetensorsModel b = SafetensorsModel.open(tuned)) {
            assertEquals(a.names(), b.names());
            float[] x = a.floats("model.layers.0.mlp.up_proj.weight");
            float[] y = b.floats("model.layers.0.mlp.up_proj.weight");
            double diffSq = 0;
            double baseSq = 0;
            for (int i = 0; i < x.length; i++) {
                diffSq += (double) (y[i] - x[i]) * (y[i] - x[i]);
                baseSq += (double) x[i] * x[i];
            }
            assertEquals(0.1, Math.sqrt(diffSq / baseSq), 0.005, "noise is 10% of the tensor's RMS");
            float[] norm = b.floats("model.norm.weight");
            assertTrue(new HashSet<>(java.util.Arrays.asList(box(norm))).size() > 100, "norms are perturbed too");
        }
        assertArrayEquals(Files.readAllBytes(base.resolve("config.json")), Files.readAllBytes(tuned.resolve("config.json")));
        assertTrue(Files.exists(tuned.resolve("tokenizer.json")));
    }

    private static Float[] box(float[] v) {
        Float[] out = new Float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i];
        }
        return out;
    }

    @Test
    void constructor_badShapes_refusedWithReason() {
        assertEquals("hidden (30) must be a multiple of heads (4)", assertThrows(IllegalArgumentException.class,
                () -> new SyntheticModel("llama", 1, 30, 8, 10, 4, 4, DType.F32, 0)).getMessage());
        assertEquals("heads (4) must be a multiple of kv-heads (3)", assertThrows(IllegalArgumentException.class,
                () -> new SyntheticModel("llama", 1, 32, 8, 10, 4, 3, DType.F32, 0)).getMessage());
        assertEquals("family must be one of [llama, mistral, qwen2], got 'gpt2'", assertThrows(
                IllegalArgumentException.class, () -> new SyntheticModel("gpt2", 1, 32, 8, 10, 4, 4, DType.F32, 0))
                .getMessage());
    }
}
