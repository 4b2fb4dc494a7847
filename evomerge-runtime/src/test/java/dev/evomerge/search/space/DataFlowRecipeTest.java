package dev.evomerge.search.space;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.evomerge.config.InputSlice;
import dev.evomerge.config.MergeConfig;
import dev.evomerge.config.MergeConfigWriter;
import dev.evomerge.config.MergeInputs;
import dev.evomerge.config.ModelSpec;
import dev.evomerge.config.OutputSlice;
import dev.evomerge.config.ParameterSetting;
import dev.evomerge.config.ParameterSetting.Conditional.Entry;
import dev.evomerge.config.Parameters;
import dev.evomerge.dataflow.LayerPath;
import dev.evomerge.dataflow.LayerPath.Step;
import java.util.List;
import org.junit.jupiter.api.Test;

class DataFlowRecipeTest {

    private static final ModelSpec A = ModelSpec.of("models/a");
    private static final ModelSpec B = ModelSpec.of("models/b");

    private static OutputSlice slice(ModelSpec model, int start, int end, Parameters parameters) {
        return OutputSlice.of(List.of(InputSlice.of(model, start, end, parameters)));
    }

    private static Parameters scale(Entry... entries) {
        return Parameters.of("scale", ParameterSetting.conditional(entries));
    }

    private static Entry entry(String filter, double value) {
        return filter == null ? Entry.always(ParameterSetting.scalar(value))
                : Entry.of(filter, ParameterSetting.scalar(value));
    }

    private static MergeConfig passthrough(OutputSlice... slices) {
        return MergeConfig.of("passthrough", MergeInputs.Slices.of(List.of(slices))).withBaseModel(A);
    }

    @Test
    void toMergeConfig_plainModel_oneSliceWithoutParameters() {
        assertEquals(passthrough(slice(A, 0, 3, Parameters.NONE)),
                DataFlowRecipe.toMergeConfig(LayerPath.plain(0, 3), List.of(A, B)));
    }

    @Test
    void toMergeConfig_scales_embeddingFirstThenDownProjThenCatchAll() {
        LayerPath path = LayerPath.unconstrained(List.of(new Step(0, 0, 1.2), new Step(0, 1, 0.8),
                new Step(0, 2, 0.8), new Step(1, 0, 1.0), new Step(1, 1, 1.0)));
        MergeConfig config = DataFlowRecipe.toMergeConfig(path, List.of(A, B));
        // A0 and A1 both fold 0.8; A2 folds B0's 1.0; B0 and B1 fold 1 (B1 is last)
        assertEquals(passthrough(
                slice(A, 0, 2, scale(entry("embed_tokens", 1.2), entry("mlp.down_proj", 0.8), entry(null, 1.0))),
                slice(A, 2, 3, Parameters.NONE),
                slice(B, 0, 2, Parameters.NONE)), config);
        assertEquals("""
                merge_method: passthrough
                base_model: models/a
                slices:
                  - sources:
                      - model: models/a
                        layer_range: [0, 2]
                        parameters:
                          scale:
                            - filter: embed_tokens
                              value: 1.2
                            - filter: mlp.down_proj
                              value: 0.8
                            - value: 1.0
                  - sources:
                      - model: models/a
                        layer_range: [2, 3]
                  - sources:
                      - model: models/b
                        layer_range: [0, 2]
                """, MergeConfigWriter.write(config));
    }

    @Test
    void toMergeConfig_repeatedLayerOrOtherScale_newSlice() {
        LayerPath path = LayerPath.constrained(List.of(new Step(0, 0, 1.0), new Step(0, 1, 1.0), new Step(0, 1, 0.5),
                new Step(0, 2, 1.0)));
        // A0 folds 1.0, A1 folds 0.5 (next step's scale): a slice each; the repeated A1 starts another
        assertEquals(passthrough(slice(A, 0, 1, Parameters.NONE),
                slice(A, 1, 2, scale(entry("mlp.down_proj", 0.5), entry(null, 1.0))),
                slice(A, 1, 3, Parameters.NONE)), DataFlowRecipe.toMergeConfig(path, List.of(A, B)));
    }

    @Test
    void toMergeConfig_embeddingsOrHeadNotFromTheEnds_refused() {
        LayerPath embeddings = new LayerPath(List.of(new Step(1, 0, 1.0), new Step(0, 2, 1.0)), 0, 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DataFlowRecipe.toMergeConfig(embeddings, List.of(A, B)));
        assertEquals("the path takes its embeddings from model 0 but starts with model 1; mergekit takes the"
                + " embeddings from the first slice's model", e.getMessage());
        LayerPath head = new LayerPath(List.of(new Step(0, 0, 1.0), new Step(1, 1, 1.0)), 0, 0);
        assertThrows(IllegalArgumentException.class, () -> DataFlowRecipe.toMergeConfig(head, List.of(A, B)));
        assertThrows(IllegalArgumentException.class, () -> DataFlowRecipe.toMergeConfig(LayerPath.plain(1, 2),
                List.of(A)));
    }
}
