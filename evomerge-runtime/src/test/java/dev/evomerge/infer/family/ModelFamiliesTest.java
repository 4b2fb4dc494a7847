package dev.evomerge.infer.family;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.evomerge.diag.InputException;
import dev.evomerge.model.ModelConfig;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModelFamiliesTest {

    private static final Path GOLDENS = Path.of("src/test/resources/infer");

    private static TransformerConfig golden(String name) {
        return ModelFamilies.read(ModelConfig.read(GOLDENS.resolve(name).resolve("config.json")));
    }

    private static ModelConfig config(String json) throws Exception {
        return ModelConfig.of((ObjectNode) new ObjectMapper().readTree(json));
    }

    @Test
    void read_llamaLegacyRopeLayout_llama3ScalingAndTiedEmbeddings() {
        TransformerConfig c = golden("llama3-tied");
        assertEquals("llama", c.family());
        assertEquals(new Rope(Rope.Type.LLAMA3, 500000.0, 8.0, 1.0, 4.0, 128), c.rope());
        assertTrue(c.tiedEmbeddings());
        assertEquals(List.of(0, 0), c.slidingWindows());
        assertEquals(2, c.groups());
    }

    @Test
    void read_mistral_slidingWindowOnEveryLayer() {
        TransformerConfig c = golden("mistral-sliding");
        assertEquals(List.of(4, 4), c.slidingWindows());
        assertFalse(c.qkvBias());
    }

    @Test
    void read_qwen2_qkvBiasesNoOutputBiasRopeParameters() {
        TransformerConfig c = golden("qwen2-bias");
        assertTrue(c.qkvBias());
        assertFalse(c.outputBias());
        assertEquals(Rope.of(1000000.0), c.rope());
        assertEquals(List.of(0, 0), c.slidingWindows(), "use_sliding_window is false");
    }

    @Test
    void read_qwen3_qkNormAndOwnHeadDim() {
        TransformerConfig c = golden("qwen3-qknorm");
        assertTrue(c.qkNorm());
        assertEquals(16, c.headDim());
        assertEquals(8, c.hiddenSize() / c.heads());
    }

    @Test
    void read_qwenSlidingWindow_layersFromMaxWindowLayersOn() throws Exception {
        TransformerConfig c = ModelFamilies.read(config("""
                {"model_type": "qwen2", "hidden_size": 8, "intermediate_size": 16, "num_hidden_layers": 4,
                 "num_attention_heads": 2, "vocab_size": 10, "use_sliding_window": true, "sliding_window": 3,
                 "max_window_layers": 2}"""));
        assertEquals(List.of(0, 0, 3, 3), c.slidingWindows());
        TransformerConfig typed = ModelFamilies.read(config("""
                {"model_type": "qwen3", "hidden_size": 8, "intermediate_size": 16, "num_hidden_layers": 3,
                 "num_attention_heads": 2, "vocab_size": 10, "use_sliding_window": true, "sliding_window": 5,
                 "head_dim": 4, "layer_types": ["sliding_attention", "full_attention", "sliding_attention"]}"""));
        assertEquals(List.of(5, 0, 5), typed.slidingWindows());
    }

    @Test
    void read_linearRopeAndDefaults() throws Exception {
        TransformerConfig c = ModelFamilies.read(config("""
                {"model_type": "llama", "hidden_size": 8, "intermediate_size": 16, "num_hidden_layers": 1,
                 "num_attention_heads": 2, "vocab_size": 10, "rope_scaling": {"type": "linear", "factor": 2.0}}"""));
        assertEquals(new Rope(Rope.Type.LINEAR, 10000.0, 2.0, 0, 0, 0), c.rope());
        assertEquals(2, c.kvHeads(), "num_key_value_heads defaults to the attention heads");
        assertEquals(1e-6, c.rmsNormEps());
        assertFalse(c.tiedEmbeddings());
    }

    @Test
    void read_unsupportedRopeType_refusedNamingTheFile() throws Exception {
        var e = assertThrows(InputException.class, () -> ModelFamilies.read(config("""
                {"model_type": "llama", "hidden_size": 8, "intermediate_size": 16, "num_hidden_layers": 1,
                 "num_attention_heads": 2, "vocab_size": 10, "rope_scaling": {"rope_type": "yarn", "factor": 4}}""")));
        assertEquals("config.json: rope type 'yarn' is not supported (supported: default, linear, llama3); evaluate"
                + " this model with an external evaluator command instead", e.userMessage());
    }

    @Test
    void read_unknownFamilyOrActivation_refused() throws Exception {
        var family = assertThrows(InputException.class, () -> ModelFamilies.read(config("""
                {"model_type": "gpt2", "hidden_size": 8}""")));
        assertTrue(family.getMessage().contains("model_type 'gpt2' is not supported")
                && family.getMessage().contains("llama, mistral, qwen2, qwen3"), family.getMessage());
        var act = assertThrows(InputException.class, () -> ModelFamilies.read(config("""
                {"model_type": "llama", "hidden_size": 8, "intermediate_size": 16, "num_hidden_layers": 1,
                 "num_attention_heads": 2, "vocab_size": 10, "hidden_act": "gelu"}""")));
        assertEquals("hidden_act 'gelu' is not supported (only silu)", act.getMessage());
    }

    @Test
    void read_headsNotDividedByKvHeads_refused() throws Exception {
        var e = assertThrows(InputException.class, () -> ModelFamilies.read(config("""
                {"model_type": "mistral", "hidden_size": 12, "intermediate_size": 16, "num_hidden_layers": 1,
                 "num_attention_heads": 3, "num_key_value_heads": 2, "vocab_size": 10}""")));
        assertEquals("num_attention_heads (3) must be a multiple of num_key_value_heads (2)", e.getMessage());
    }
}
