package dev.evomerge.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ArchitecturesTest {

    private final Architectures families = Architectures.builtIn();

    private static ModelConfig config(String arch, String type) {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        if (arch != null) {
            n.putArray("architectures").add(arch);
        }
        n.put("model_type", type);
        n.put("num_hidden_layers", 3);
        return ModelConfig.of(n);
    }

    /** Tensor lists mergekit itself expands for 3 layers (src/test/reference/model/mergekit_architectures.py). */
    private static JsonNode mergekit() throws IOException {
        try (InputStream in = ArchitecturesTest.class.getResourceAsStream("/model/mergekit-architectures.json")) {
            return new ObjectMapper().readTree(in);
        }
    }

    @Test
    void weights_everyFamily_matchesMergekitExpansionInOrderWithFlags() throws IOException {
        JsonNode reference = mergekit();
        assertEquals(Architectures.KNOWN.size(), reference.size());
        for (String name : Architectures.KNOWN) {
            JsonNode ref = reference.get(name);
            Architecture arch = families.forConfig(config(ref.get("architectures").get(0).asText(),
                    ref.get("model_type").asText())).orElseThrow();
            assertEquals(name, arch.name());
            assertEquals(ref.get("model_type").asText(), arch.modelType());
            assertEquals(strings(ref.get("architectures")), arch.architectures(), name);
            assertEquals(ref.get("num_layers_config_key").asText(), arch.layerCountKey(), name);
            List<WeightInfo> expected = new ArrayList<>();
            for (JsonNode w : ref.get("weights")) {
                expected.add(new WeightInfo(w.get("name").asText(), w.get("is_embed").asBoolean(),
                        w.get("optional").asBoolean(), strings(w.get("aliases")), strings(w.get("tied_names"))));
            }
            assertEquals(expected, arch.weights(ref.get("layers").asInt()), name);
        }
    }

    private static List<String> strings(JsonNode n) {
        List<String> out = new ArrayList<>();
        n.forEach(x -> out.add(x.asText()));
        return out;
    }

    @Test
    void forConfig_unknownClass_empty_modelTypeAloneWhenNoArchitectures() {
        assertTrue(families.forConfig(config("GPT2LMHeadModel", "gpt2")).isEmpty());
        assertEquals("qwen3", families.forConfig(config(null, "qwen3")).orElseThrow().name());
        assertTrue(families.forConfig(config(null, "gpt2")).isEmpty());
    }

    @Test
    void layerCount_fromConfigKey_orFixedForInferred() {
        Architecture llama = families.byName("llama").orElseThrow();
        assertEquals(3, llama.layerCount(config("LlamaForCausalLM", "llama")));
        Architecture auto = Architectures.infer(List.of(List.of("h.0.w", "h.4.w")));
        assertEquals(5, auto.layerCount(ModelConfig.of(JsonNodeFactory.instance.objectNode())));
    }

    @Test
    void layer_outsideRange_throws() {
        Architecture llama = families.byName("llama").orElseThrow();
        assertThrows(IllegalArgumentException.class, () -> llama.layer(2, 2));
        assertEquals("model.layers.1.mlp.down_proj.weight", llama.layer(1, 2).get(8).name());
    }

    @Test
    void gemma2_tiesEmbeddingsByDefault_othersDoNot() {
        for (Architecture a : families.all()) {
            assertEquals(a.name().equals("gemma2"), a.tiedEmbeddingsByDefault(), a.name());
        }
    }

    @Test
    void layerIndexOf_firstNumberedPart() {
        assertEquals(12, Architecture.layerIndexOf("model.layers.12.mlp.experts.3.w1").getAsInt());
        assertEquals("model.layers.${layer_index}.mlp.experts.3.w1",
                Architecture.templateOf("model.layers.12.mlp.experts.3.w1"));
        assertTrue(Architecture.layerIndexOf("model.norm.weight").isEmpty());
        assertTrue(Architecture.layerIndexOf("layers.0").isEmpty(), "needs a dot on both sides");
    }
}
