package dev.evomerge.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.evomerge.diag.ConfigException;
import dev.evomerge.event.EventListener;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class NormalizedConfigTest {

    private static MergeConfig parse(String yaml) {
        return MergeConfigFile.parse(yaml, Path.of("merge.yml"), EventListener.NONE).config();
    }

    private static LayerCounter layers(Map<String, Integer> counts) {
        return m -> counts.get(m.reference().path());
    }

    @Test
    void normalize_models_oneSliceOverAllLayersWithBaseAppended() {
        NormalizedConfig n = parse("""
                merge_method: ties
                base_model: base
                models:
                  - model: a
                    parameters: {weight: 0.6}
                  - model: b
                    parameters: {weight: 0.4}
                """).normalize(layers(Map.of("a", 4, "b", 4, "base", 4)));
        assertEquals(1, n.slices().size());
        List<InputSlice> sources = n.firstSlice().sources();
        assertEquals(List.of("a", "b", "base"), sources.stream().map(s -> s.model().reference().path()).toList());
        assertEquals(List.of(new LayerRange(0, 4), new LayerRange(0, 4), new LayerRange(0, 4)),
                sources.stream().map(InputSlice::layerRange).toList());
        assertEquals(Parameters.of("weight", ParameterSetting.scalar(0.6)), sources.get(0).parameters());
        assertEquals(Parameters.NONE, sources.get(2).parameters());
        assertEquals("base_model", sources.get(2).location().documentPath(), "the appended base points at base_model");
        assertEquals(4, n.layerCount());
        assertEquals(Optional.of(ModelSpec.of("base")), n.baseModel(n.firstSlice()));
    }

    @Test
    void normalize_baseAlreadyListed_notAppendedAgain() {
        NormalizedConfig n = parse("""
                merge_method: slerp
                base_model: {model: {path: a}}
                models: [{model: a}, {model: b}]
                parameters: {t: 0.5}
                """).normalize(m -> 2);
        assertEquals(2, n.firstSlice().sources().size());
    }

    @Test
    void normalize_modelsOfDifferentDepths_refusedAtModelsKey() {
        MergeConfig c = parse("merge_method: linear\nmodels:\n  - model: a\n  - model: b\n");
        var e = assertThrows(ConfigException.class, () -> c.normalize(layers(Map.of("a", 2, "b", 3))));
        assertEquals("merge.yml:2:1 (models): All inputs to a slice must contain the same number of layers: a"
                + " [0, 2) has 2, b [0, 3) has 3; make every source of the slice span as many layers as the others",
                e.userMessage());
    }

    @Test
    void normalize_layerRangePastModelEnd_refusedAtSource() {
        MergeConfig c = parse("merge_method: passthrough\nslices:\n  - sources:\n      - model: a\n"
                + "        layer_range: [0, 6]\n");
        var e = assertThrows(ConfigException.class, () -> c.normalize(m -> 4));
        assertEquals("merge.yml:4:9 (slices[0].sources[0]): layer_range [0, 6) goes past the end of model 'a',"
                + " which has 4 layers; take layers from 0 to 4 at most (the end is exclusive)", e.userMessage());
    }

    @Test
    void normalize_stackedSlices_layersContinueAndTRestarts() {
        // Acceptance check 4: a passthrough of a[0,2) + b[1,2) gives 3 layers; output layer 2 is b's layer 1 and
        // the post weights come from b (the last slice).
        NormalizedConfig n = parse("""
                merge_method: passthrough
                slices:
                  - sources: [{model: a, layer_range: [0, 2]}]
                  - sources: [{model: b, layer_range: [1, 2]}]
                """).normalize(m -> 2);
        assertEquals(3, n.layerCount());
        List<OutputLayer> layers = n.layers();
        assertEquals(List.of(0, 1, 2), layers.stream().map(OutputLayer::index).toList());
        assertEquals(List.of(0.0, 1.0, 1.0), layers.stream().map(OutputLayer::t).toList(),
                "t = i/(L-1) within each slice, 1 for a one-layer slice");
        OutputLayer last = layers.get(2);
        InputSlice b = last.sources().getFirst();
        assertEquals("b", b.model().reference().path());
        assertEquals(1, last.sourceLayer(b));
        assertEquals("a", n.firstSlice().sources().getFirst().model().reference().path());
        assertEquals("b", n.lastSlice().sources().getFirst().model().reference().path());
    }

    @Test
    void normalize_fiveLayerModel_tIsIndexOverFour() {
        NormalizedConfig n = parse("merge_method: linear\nmodels: [{model: a}, {model: b}]\n"
                + "parameters: {weight: 0.5}\n").normalize(m -> 5);
        assertEquals(List.of(0.0, 0.25, 0.5, 0.75, 1.0), n.layers().stream().map(OutputLayer::t).toList());
    }

    @Test
    void normalize_module_keepsModuleParametersForLookup() {
        NormalizedConfig n = parse("""
                merge_method: linear
                modules:
                  default:
                    slices:
                      - sources: [{model: a, layer_range: [0, 2]}, {model: b, layer_range: [2, 4]}]
                    parameters: {weight: 0.25}
                """).normalize(m -> 4);
        assertEquals(2, n.layerCount());
        assertEquals(0.25, n.parameters().modelParameter("weight", ModelSpec.of("b"), "x", n.firstSlice(), 0)
                .getAsDouble());
        OutputLayer second = n.layers().get(1);
        assertEquals(3, second.sourceLayer(second.sources().get(1)));
    }

    @Test
    void normalize_sliceBaseModel_overridesTopLevel() {
        NormalizedConfig n = parse("""
                merge_method: task_arithmetic
                base_model: a
                slices:
                  - sources: [{model: a, layer_range: [0, 1]}, {model: c, layer_range: [0, 1]}]
                    base_model: c
                  - sources: [{model: a, layer_range: [1, 2]}, {model: c, layer_range: [1, 2]}]
                parameters: {weight: 1}
                """).normalize(m -> 2);
        assertEquals(Optional.of(ModelSpec.of("c")), n.baseModel(n.slices().get(0)));
        assertEquals(Optional.of(ModelSpec.of("a")), n.baseModel(n.slices().get(1)));
    }
}
