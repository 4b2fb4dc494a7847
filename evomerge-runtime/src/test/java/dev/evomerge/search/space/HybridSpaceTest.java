package dev.evomerge.search.space;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.evomerge.config.MergeConfig;
import dev.evomerge.config.ModelSpec;
import dev.evomerge.dataflow.LayerPath;
import dev.evomerge.dataflow.LayerPath.Step;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The hybrid run of {@code evolutionary-merge.md} §3: the parameter-space result becomes model A of the data-flow
 * space ({@code ps} in {@code dfs.models}). The data-flow space needs only its layer count and tie flag.
 */
class HybridSpaceTest {

    private static final ModelSpec MATH = ModelSpec.of("models/math");
    private static final ModelSpec JA = ModelSpec.of("models/ja");
    private static final ModelSpec BASE = ModelSpec.of("models/base");

    @Test
    void dataFlowSpace_psResultAsModelA_layerCountOfTheDecodedMerge() {
        ParameterSpace ps = ParameterSpace.of(GenomeDefinition.builder(List.of(MATH, JA), "dare_ties").baseModel(BASE)
                .layerGranularity(2).build(), 4);
        MergeConfig best = ps.decode(ps.initialPoint(InitialPoint.SAKANA, null));
        int layers = best.normalize(model -> 4).layerCount();
        assertEquals(ps.layerCount(), layers);

        ModelSpec psResult = ModelSpec.of("target/evomerge/ps/best");
        DataFlowSpace dfs = DataFlowSpace.of(List.of(new DataFlowModel(psResult, layers, false),
                new DataFlowModel(JA, 4, false)), DataFlowSettings.DEFAULTS);
        assertEquals(8, dfs.stackedLayers());
        assertEquals(24 + 9 * 8, dfs.dimension());
        // the start is the PS result itself
        assertEquals(LayerPath.plain(0, 4), dfs.decode(dfs.initialPoint(1.0 / 6)));
        // a path through both: A's layers 0-1, JA's layer 3, then A's last layer (forced)
        double[] x = new double[dfs.dimension()];
        Arrays.fill(x, -0.5);
        Arrays.fill(x, dfs.slots(), x.length, 1.0);
        x[dfs.slot(0, 0, 0)] = 0.5;
        x[dfs.slot(0, 0, 1)] = 0.5;
        x[dfs.slot(0, 1, 3)] = 0.5;
        LayerPath path = dfs.decode(x);
        assertEquals(LayerPath.constrained(List.of(new Step(0, 0, 1), new Step(0, 1, 1), new Step(1, 3, 1),
                new Step(0, 3, 1))), path);
        MergeConfig recipe = dfs.recipe(path);
        assertEquals(psResult, recipe.baseModel().orElseThrow());
        assertEquals(List.of(psResult, JA), List.copyOf(recipe.inputs().referencedModels()));
    }
}
