package dev.evomerge.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.evomerge.diag.InputException;
import java.util.List;
import org.junit.jupiter.api.Test;

class ArchitectureInferenceTest {

    private static final List<String> GPT2 = List.of("transformer.wte.weight", "transformer.wpe.weight",
            "transformer.h.0.attn.c_attn.weight", "transformer.h.0.mlp.c_fc.weight",
            "transformer.h.1.attn.c_attn.weight", "transformer.h.1.mlp.c_fc.weight", "transformer.ln_f.weight",
            "lm_head.weight");

    @Test
    void infer_oneModel_templatesLayerCountAndPreWeightsSorted() {
        Architecture a = ArchitectureInference.infer(List.of(GPT2));
        assertEquals("auto", a.name());
        assertTrue(a.isInferred());
        assertEquals(List.of("transformer.h.${layer_index}.attn.c_attn.weight",
                "transformer.h.${layer_index}.mlp.c_fc.weight"), names(a.layerTemplates()));
        assertEquals(List.of("lm_head.weight", "transformer.ln_f.weight", "transformer.wpe.weight",
                "transformer.wte.weight"), names(a.preWeights()));
        assertEquals(List.of(), a.postWeights());
        assertEquals(2, a.fixedLayerCount().getAsInt());
        assertEquals(List.of(true, false, true, true), a.preWeights().stream().map(WeightInfo::embed).toList());
        assertTrue(a.weights(2).stream().noneMatch(WeightInfo::optional));
        assertEquals("transformer.h.1.mlp.c_fc.weight", a.weights(2).get(7).name());
    }

    @Test
    void infer_namesMissingFromSomeModels_becomeOptional() {
        List<String> untied = GPT2;
        List<String> tiedShallow = List.of("transformer.wte.weight", "transformer.wpe.weight",
                "transformer.h.0.attn.c_attn.weight", "transformer.h.0.mlp.c_fc.weight",
                "transformer.h.1.attn.c_attn.weight", "transformer.ln_f.weight");
        Architecture a = ArchitectureInference.infer(List.of(untied, tiedShallow));
        assertTrue(a.preWeights().get(0).optional(), "lm_head is missing from the second model");
        assertFalse(a.preWeights().get(1).optional());
        assertFalse(a.layerTemplates().get(0).optional(), "attn is in every layer of both");
        assertTrue(a.layerTemplates().get(1).optional(), "mlp is missing from layer 1 of the second model");
    }

    @Test
    void infer_layerCount_isLargestIndexPlusOneOverAllModels() {
        Architecture a = ArchitectureInference.infer(List.of(List.of("m.blocks.0.w", "m.blocks.1.w"),
                List.of("m.blocks.0.w", "m.blocks.1.w", "m.blocks.2.w")));
        assertEquals(3, a.fixedLayerCount().getAsInt());
        assertTrue(a.layerTemplates().get(0).optional(), "layer 2 exists in one model only");
    }

    @Test
    void infer_orderOfModels_doesNotMatter() {
        List<String> other = List.of("transformer.wte.weight", "transformer.h.0.attn.c_attn.weight", "x.bias");
        assertEquals(ArchitectureInference.infer(List.of(GPT2, other)),
                ArchitectureInference.infer(List.of(other, GPT2)));
    }

    @Test
    void infer_severalLayerStacks_refusedAsMultiModule() {
        var e = assertThrows(InputException.class, () -> ArchitectureInference.infer(List.of(List.of(
                "language_model.layers.0.w", "vision_tower.blocks.0.w"))));
        assertEquals("cannot infer one layer stack: the tensors have layers under 2 prefixes [language_model.layers,"
                + " vision_tower.blocks]; models with several modules (vision-language, encoder-decoder) are not"
                + " supported yet", e.userMessage());
    }

    @Test
    void infer_noTensors_refused() {
        assertThrows(InputException.class, () -> ArchitectureInference.infer(List.of(List.of())));
    }

    private static List<String> names(List<WeightInfo> weights) {
        return weights.stream().map(WeightInfo::name).toList();
    }
}
