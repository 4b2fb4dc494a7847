package dev.evomerge.search.space;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.evomerge.diag.InputException;
import dev.evomerge.dataflow.LayerPath;
import dev.evomerge.dataflow.LayerPath.Step;
import dev.evomerge.model.Architectures;
import dev.evomerge.model.ModelConfig;
import dev.evomerge.model.ModelDirectory;
import dev.evomerge.model.ModelReference;
import dev.evomerge.model.ResolvedModel;
import dev.evomerge.model.SyntheticModel;
import dev.evomerge.tensor.DType;
import dev.evomerge.tensor.io.SafetensorsModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the checkpoint export refuses, and how it sets config.json; its tensors are checked against mergekit in
 * {@link DataFlowExportGoldenTest}. */
class DataFlowCheckpointTest {

    private static ModelDirectory synthetic(Path dir, String family, int hidden) {
        new SyntheticModel(family, 2, hidden, 2 * hidden, 32, 2, 1, DType.F32, 5).write(dir, false);
        return ModelDirectory.load(new ResolvedModel(ModelReference.parse(dir.toString()), dir, false),
                Architectures.builtIn());
    }

    @Test
    void write_embeddingScaleOnTiedModel_refused(@TempDir Path tmp) {
        LayerPath path = LayerPath.constrained(List.of(new Step(0, 0, 1.5), new Step(0, 2, 1.0)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DataFlowCheckpoint.write(path, DataFlowFixtures.models(List.of("t")), tmp.resolve("out"), false));
        assertEquals("model 0 ties lm_head to its embeddings, so the embedding scale must be 1, got 1.5",
                e.getMessage());
        assertFalse(Files.exists(tmp.resolve("out")));
    }

    @Test
    void write_modelOfOtherHiddenSizeOrFamily_refusedNamingIt(@TempDir Path tmp) {
        ModelDirectory wide = synthetic(tmp.resolve("wide"), "llama", 16);
        LayerPath path = LayerPath.constrained(List.of(new Step(0, 0, 1.0), new Step(1, 0, 1.0), new Step(0, 2, 1.0)));
        InputException e = assertThrows(InputException.class, () -> DataFlowCheckpoint.write(path,
                List.of(DataFlowFixtures.model("a"), wide), tmp.resolve("out"), false));
        assertTrue(e.getMessage().contains("has hidden size 16, model A 'models/a' 8"), e.getMessage());
        InputException family = assertThrows(InputException.class, () -> DataFlowCheckpoint.write(path,
                DataFlowFixtures.models(List.of("a", "t")), tmp.resolve("out"), false));
        assertTrue(family.getMessage().contains("'models/t' is a qwen2 model, model A 'models/a' a llama model"),
                family.getMessage());
    }

    @Test
    void write_unusedModel_notOpened(@TempDir Path tmp) {
        // B is listed but not on the path: nothing of it is read, whatever its family
        LayerPath path = LayerPath.constrained(List.of(new Step(0, 0, 1.0), new Step(0, 2, 0.5)));
        DataFlowCheckpoint.write(path, DataFlowFixtures.models(List.of("a", "t")), tmp.resolve("out"), false);
        try (SafetensorsModel out = SafetensorsModel.open(tmp.resolve("out"))) {
            assertTrue(out.contains("model.layers.1.mlp.down_proj.weight"));
            assertFalse(out.contains("model.layers.2.mlp.down_proj.weight"));
        }
    }

    @Test
    void outputConfig_layerTypes_followTheStepsOrLeftOutWhenUnknown(@TempDir Path tmp) {
        List<ModelDirectory> tu = DataFlowFixtures.models(List.of("t", "u"));
        LayerPath path = LayerPath.constrained(List.of(new Step(0, 0, 1.0), new Step(1, 1, 1.0), new Step(0, 2, 1.0)));
        ModelConfig config = DataFlowCheckpoint.outputConfig(path, tu);
        assertEquals(3, config.requireInt("num_hidden_layers"));
        JsonNode types = config.get("layer_types").orElseThrow();
        assertEquals(3, types.size());
        assertEquals("full_attention", types.get(1).asText());
        ModelDirectory plain = synthetic(tmp.resolve("qwen2"), "qwen2", 8);
        assertTrue(plain.config().get("layer_types").isEmpty());
        ModelConfig mixed = DataFlowCheckpoint.outputConfig(path, List.of(tu.getFirst(), plain));
        assertTrue(mixed.get("layer_types").isEmpty(), "transformers derives it for the new layer count");
        assertEquals(3, mixed.requireInt("num_hidden_layers"));
        assertEquals(Boolean.TRUE, mixed.bool("tie_word_embeddings").orElseThrow());
    }

    @Test
    void write_pathBeyondTheModels_refused(@TempDir Path tmp) {
        LayerPath path = LayerPath.constrained(List.of(new Step(0, 0, 1.0), new Step(0, 3, 1.0)));
        assertThrows(IllegalArgumentException.class, () -> DataFlowCheckpoint.write(path,
                DataFlowFixtures.models(List.of("a")), tmp.resolve("out"), false));
    }
}
