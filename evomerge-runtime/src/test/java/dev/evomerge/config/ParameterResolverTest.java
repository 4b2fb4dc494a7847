package dev.evomerge.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.evomerge.event.EventListener;
import java.nio.file.Path;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class ParameterResolverTest {

    private static NormalizedConfig normalize(String yaml, int layers) {
        return MergeConfigFile.parse(yaml, Path.of("merge.yml"), EventListener.NONE).config().normalize(m -> layers);
    }

    @Test
    void modelParameter_precedence_sourceThenSliceThenModuleThenTop() {
        NormalizedConfig n = normalize("""
                merge_method: linear
                modules:
                  default:
                    slices:
                      - sources:
                          - model: a
                            layer_range: [0, 2]
                            parameters: {weight: 1}
                          - model: b
                            layer_range: [0, 2]
                          - model: c
                            layer_range: [0, 2]
                        parameters: {weight: 2, density: 0.5}
                    parameters: {weight: 3, density: 0.6, epsilon: 0.1}
                parameters: {weight: 4, density: 0.7, epsilon: 0.2, lambda: 1.5}
                """, 2);
        ParameterResolver r = n.parameters();
        OutputSlice s = n.firstSlice();
        assertEquals(1.0, r.modelParameter("weight", ModelSpec.of("a"), "x", s, 0).getAsDouble());
        assertEquals(2.0, r.modelParameter("weight", ModelSpec.of("b"), "x", s, 0).getAsDouble());
        assertEquals(0.5, r.modelParameter("density", ModelSpec.of("a"), "x", s, 0).getAsDouble());
        assertEquals(0.1, r.modelParameter("epsilon", ModelSpec.of("c"), "x", s, 0).getAsDouble());
        assertEquals(1.5, r.modelParameter("lambda", ModelSpec.of("c"), "x", s, 0).getAsDouble());
        assertEquals(OptionalDouble.empty(), r.modelParameter("gamma", ModelSpec.of("c"), "x", s, 0));
        assertEquals(2.0, r.globalParameter("weight", "x", s, 0).getAsDouble(),
                "a global lookup skips the sources' own parameters");
    }

    @Test
    void globalParameter_underModelsEntry_ignored() {
        NormalizedConfig n = normalize("""
                merge_method: slerp
                base_model: a
                models:
                  - model: a
                    parameters: {t: 0.9}
                  - model: b
                """, 2);
        assertEquals(OptionalDouble.empty(), n.parameters().globalParameter("t", "x", n.firstSlice(), 0));
    }

    @Test
    void resolve_conditionalWithoutMatch_fallsThroughToNextLevel() {
        NormalizedConfig n = normalize("""
                merge_method: linear
                models:
                  - model: a
                    parameters:
                      weight: [{filter: mlp, value: 0.9}]
                  - model: b
                parameters:
                  weight: 0.5
                """, 2);
        ParameterResolver r = n.parameters();
        OutputSlice s = n.firstSlice();
        assertEquals(0.9, r.modelParameter("weight", ModelSpec.of("a"), "model.layers.0.mlp.up_proj.weight", s, 0)
                .getAsDouble());
        assertEquals(0.5, r.modelParameter("weight", ModelSpec.of("a"), "model.layers.0.self_attn.q_proj.weight",
                s, 0).getAsDouble());
        var resolved = r.resolveModel("weight", ModelSpec.of("a"), "model.norm.weight", s, 0).orElseThrow();
        assertEquals("parameters.weight", resolved.location().documentPath());
        assertEquals(8, resolved.location().line());
    }

    @Test
    void gradient_fiveLayers_acceptanceCheck2() {
        // weight: [0, 0.3, 0.7, 1] over 5 layers gives 0, .225, .5, .775, 1; pre and post weights take t = 0.
        NormalizedConfig n = normalize("""
                merge_method: linear
                models:
                  - model: a
                    parameters: {weight: [0, 0.3, 0.7, 1]}
                  - model: b
                    parameters: {weight: 1}
                """, 5);
        ParameterResolver r = n.parameters();
        double[] expected = {0.0, 0.22499999999999998, 0.5, 0.7749999999999999, 1.0};
        for (OutputLayer layer : n.layers()) {
            String name = "model.layers." + layer.index() + ".mlp.up_proj.weight";
            assertEquals(expected[layer.index()], r.modelParameter("weight", ModelSpec.of("a"), name, layer.slice(),
                    layer.t()).getAsDouble(), 0.0);
        }
        for (String prePost : new String[] {"model.embed_tokens.weight", "model.norm.weight", "lm_head.weight"}) {
            assertEquals(0.0, r.modelParameter("weight", ModelSpec.of("a"), prePost, n.lastSlice(),
                    NormalizedConfig.PRE_POST_T).getAsDouble());
        }
    }

    @Test
    void filters_twoLayerSlerp_acceptanceCheck3() {
        NormalizedConfig n = normalize("""
                merge_method: slerp
                base_model: a
                models: [{model: a}, {model: b}]
                parameters:
                  t:
                    - filter: self_attn
                      value: [0, 0.5, 1]
                    - filter: mlp
                      value: [1, 0.5, 0]
                    - value: 0.3
                """, 2);
        ParameterResolver r = n.parameters();
        OutputLayer l0 = n.layers().get(0);
        OutputLayer l1 = n.layers().get(1);
        OutputSlice s = n.firstSlice();
        assertEquals(0.0, r.globalParameter("t", "model.layers.0.self_attn.q_proj.weight", s, l0.t()).getAsDouble());
        assertEquals(1.0, r.globalParameter("t", "model.layers.1.self_attn.q_proj.weight", s, l1.t()).getAsDouble());
        assertEquals(1.0, r.globalParameter("t", "model.layers.0.mlp.up_proj.weight", s, l0.t()).getAsDouble());
        assertEquals(0.0, r.globalParameter("t", "model.layers.1.mlp.up_proj.weight", s, l1.t()).getAsDouble());
        assertEquals(0.3, r.globalParameter("t", "model.layers.1.input_layernorm.weight", s, l1.t()).getAsDouble());
        assertEquals(0.3, r.globalParameter("t", "model.embed_tokens.weight", s, 0).getAsDouble());
        assertEquals(0.3, r.globalParameter("t", "lm_head.weight", s, 0).getAsDouble());
    }

    @Test
    void modelParameter_stacking_filterTestsInputNameNotOutputName() {
        // Output layer 2 reads b's layer 1: a per-model filter on "layers.1." matches the input name.
        NormalizedConfig n = normalize("""
                merge_method: passthrough
                slices:
                  - sources: [{model: a, layer_range: [0, 2]}]
                  - sources:
                      - model: b
                        layer_range: [1, 2]
                        parameters:
                          scale: [{filter: layers.1.self_attn.o_proj, value: 0}, {value: 1}]
                """, 2);
        OutputLayer out = n.layers().get(2);
        InputSlice b = out.sources().getFirst();
        String input = "model.layers." + out.sourceLayer(b) + ".self_attn.o_proj.weight";
        assertEquals(0.0, n.parameters().modelParameter("scale", b.model(), input, out.slice(), out.t())
                .getAsDouble());
        assertEquals(1.0, n.parameters().modelParameter("scale", b.model(), "model.layers.2.self_attn.o_proj.weight",
                out.slice(), out.t()).getAsDouble());
    }
}
