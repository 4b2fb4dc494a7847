package dev.evomerge.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class ArchitecturesTest {

    private final Architectures families = Architectures.builtIn();

    private static ModelConfig config(String arch, String type) {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.putArray("architectures").add(arch);
        n.put("model_type", type);
        return ModelConfig.of(n);
    }

    @Test
    void forConfig_eachKnownClass_selectsItsFamily() {
        assertEquals("llama", families.forConfig(config("LlamaForCausalLM", "llama")).orElseThrow().name());
        assertEquals("mistral", families.forConfig(config("MistralForCausalLM", "mistral")).orElseThrow().name());
        assertEquals("qwen2", families.forConfig(config("Qwen2ForCausalLM", "qwen2")).orElseThrow().name());
        assertEquals("qwen3", families.forConfig(config("Qwen3ForCausalLM", "qwen3")).orElseThrow().name());
        assertEquals("gemma2", families.forConfig(config("Gemma2ForCausalLM", "gemma2")).orElseThrow().name());
        assertTrue(families.forConfig(config("GPT2LMHeadModel", "gpt2")).isEmpty());
    }

    @Test
    void weights_llamaTwoLayers_fullOrderedListWithFlags() {
        Architecture llama = families.byName("llama").orElseThrow();
        List<WeightInfo> w = llama.weights(2);
        assertEquals(1 + 2 * 9 + 2, w.size());
        assertEquals("model.embed_tokens.weight", w.get(0).name());
        assertTrue(w.get(0).embed());
        assertEquals("model.layers.1.mlp.down_proj.weight", w.get(18).name());
        WeightInfo head = w.get(20);
        assertEquals("lm_head.weight", head.name());
        assertTrue(head.optional() && head.embed());
        assertEquals(List.of("model.embed_tokens.weight"), head.tiedNames());
        assertEquals("num_hidden_layers", llama.layerCountKey());
    }

    @Test
    void weights_familyExtras_qwen2BiasesQwen3NormsGemma2FeedforwardNorms() {
        assertTrue(families.byName("qwen2").orElseThrow().layer(0).stream()
                .anyMatch(w -> w.name().equals("model.layers.0.self_attn.k_proj.bias")));
        assertTrue(families.byName("qwen3").orElseThrow().layer(3).stream()
                .anyMatch(w -> w.name().equals("model.layers.3.self_attn.q_norm.weight")));
        assertEquals(11, families.byName("gemma2").orElseThrow().layer(0).size());
        assertTrue(families.byName("gemma2").orElseThrow().tiedEmbeddingsByDefault());
    }

    @Test
    void infer_tensorNames_layerTemplatesPreWeightsAndOptionals() {
        Architecture a = Architectures.infer(List.of(
                List.of("transformer.wte.weight", "transformer.h.0.attn.weight", "transformer.h.1.attn.weight",
                        "transformer.ln_f.weight", "lm_head.weight"),
                List.of("transformer.wte.weight", "transformer.h.0.attn.weight", "transformer.h.1.attn.weight",
                        "transformer.ln_f.weight")));
        assertEquals("auto", a.name());
        assertEquals(List.of("transformer.h.{layer}.attn.weight"), a.layerWeights().stream().map(WeightInfo::name)
                .toList());
        assertEquals(List.of("lm_head.weight", "transformer.ln_f.weight", "transformer.wte.weight"),
                a.preWeights().stream().map(WeightInfo::name).toList());
        assertTrue(a.preWeights().get(0).optional(), "missing from one model");
        assertTrue(a.preWeights().get(0).embed());
        assertTrue(a.preWeights().get(2).embed());
        assertTrue(!a.preWeights().get(1).optional() && !a.preWeights().get(1).embed());
        assertEquals(List.of(), a.postWeights());
    }

    @Test
    void layerIndexOf_firstNumberedPart() {
        assertEquals(12, Architecture.layerIndexOf("model.layers.12.mlp.experts.3.w1").orElseThrow());
        assertEquals("model.layers.{layer}.mlp.experts.3.w1",
                Architecture.templateOf("model.layers.12.mlp.experts.3.w1"));
        assertTrue(Architecture.layerIndexOf("model.norm.weight").isEmpty());
    }
}
