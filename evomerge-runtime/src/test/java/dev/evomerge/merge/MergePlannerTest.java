package dev.evomerge.merge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.evomerge.config.MergeConfigFile;
import dev.evomerge.diag.ConfigException;
import dev.evomerge.event.EventListener;
import dev.evomerge.model.Architectures;
import dev.evomerge.model.ModelResolver;
import dev.evomerge.model.SyntheticModel;
import dev.evomerge.tensor.DType;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MergePlannerTest {

    @TempDir
    static Path dir;

    @BeforeAll
    static void models() {
        TinyModels.write(dir);
        new SyntheticModel("qwen2", 3, 32, 48, 64, 4, 2, DType.F32, 5).write(dir.resolve("qwen"), false);
    }

    private static MergePlan plan(String yaml) {
        MergeConfigFile file = MergeConfigFile.parse(yaml, dir.resolve("merge.yml"), EventListener.NONE);
        MergeModels models = new MergeModels(new ModelResolver(dir, Map.of()), Architectures.builtIn());
        try {
            return MergePlanner.plan(file.config(), models, EventListener.NONE);
        } finally {
            models.close();
        }
    }

    private static String error(String yaml) {
        return assertThrows(ConfigException.class, () -> plan(yaml)).userMessage();
    }

    @Test
    void plan_tiesModels_everyTensorWithBaseFirstAndParameters() {
        MergePlan p = plan("""
                merge_method: ties
                base_model: base
                models:
                  - model: a
                    parameters: {weight: 0.7, density: [0.2, 0.8]}
                  - model: b
                    parameters: {weight: 0.3}
                """);
        assertEquals(1 + 3 * 9 + 2, p.tensors().size());
        assertEquals("lm_head.weight", p.tensors().getFirst().outputName(), "mergekit's write order: by name");
        PlannedTensor layer1 = p.tensors().stream()
                .filter(t -> t.outputName().equals("model.layers.1.mlp.up_proj.weight")).findFirst().orElseThrow();
        assertEquals(List.of(1, 2, 0), layer1.spec().inputs().stream().map(InputTensor::modelIndex).toList(),
                "inputs in normalised order: the listed models, then the appended base");
        assertEquals(2, layer1.spec().baseIndex());
        assertEquals(0.5, layer1.spec().input(0).parameters().find("density").orElseThrow(), 1e-12,
                "the density gradient at t = 1/2");
        assertTrue(layer1.spec().input(1).parameters().find("density").isEmpty(), "left to the method's default");
        assertEquals("float32", p.outputConfig().torchDtype().orElseThrow());
    }

    @Test
    void plan_stackingSlices_readsEachSourceAtItsOwnLayerAndSetsLayerCount() {
        MergePlan p = plan("""
                merge_method: passthrough
                slices:
                  - sources: [{model: a, layer_range: [0, 2]}]
                  - sources: [{model: b, layer_range: [1, 3]}]
                """);
        PlannedTensor out3 = p.tensors().stream()
                .filter(t -> t.outputName().equals("model.layers.3.self_attn.q_proj.weight")).findFirst().orElseThrow();
        assertEquals("model.layers.2.self_attn.q_proj.weight", out3.storedNames().getFirst());
        assertEquals(4, p.outputConfig().requireInt("num_hidden_layers"));
        assertEquals("lm_head.weight", p.tensors().getFirst().storedNames().getFirst());
        assertEquals(1, p.tensors().getFirst().spec().input(0).modelIndex(), "post weights from the last slice (b)");
    }

    @Test
    void plan_unknownMethod_errorAtMethod() {
        String msg = error("merge_method: fancy\nmodels:\n  - model: a\n");
        assertTrue(msg.startsWith(dir.resolve("merge.yml") + ":1:15"), msg);
        assertTrue(msg.contains("unknown merge method 'fancy'"), msg);
    }

    @Test
    void plan_missingRequiredWeight_mergekitMessageAtTheModel() {
        assertEquals(dir.resolve("merge.yml") + ":5:5 (models[1]): Missing required parameter weight for"
                + " b.model.embed_tokens.weight; set weight under this model's parameters, the slice's, or the"
                + " top-level parameters", error("""
                merge_method: linear
                models:
                  - model: a
                    parameters: {weight: 1}
                  - model: b
                """));
    }

    @Test
    void plan_taskVectorMethodWithoutBase_refused() {
        assertEquals(dir.resolve("merge.yml") + ":1:15 (merge_method): merge method dare_ties needs a base_model;"
                + " add base_model: with the model the others were fine-tuned from", error("""
                merge_method: dare_ties
                models:
                  - model: a
                    parameters: {weight: 1}
                """));
    }

    @Test
    void plan_mixedArchitectures_refusedAtTheOddModel() {
        String msg = error("""
                merge_method: linear
                parameters: {weight: 1}
                models:
                  - model: a
                  - model: qwen
                """);
        assertTrue(msg.startsWith(dir.resolve("merge.yml") + ":5:12"), msg);
        assertTrue(msg.contains("model 'qwen' is a qwen2 model but 'a' is a llama model"), msg);
    }

    @Test
    void plan_slerpWithThreeModels_methodCheckReportedAtMethod() {
        String msg = error("""
                merge_method: slerp
                base_model: base
                parameters: {t: 0.5}
                models:
                  - model: a
                  - model: b
                """);
        assertTrue(msg.startsWith(dir.resolve("merge.yml") + ":1:15"), msg);
    }
}
