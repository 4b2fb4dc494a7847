package dev.evomerge.search.space;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.evomerge.config.MergeConfig;
import dev.evomerge.config.ModelSpec;
import dev.evomerge.dataflow.LayerPath;
import dev.evomerge.search.Xoshiro256;
import dev.evomerge.search.cmaes.CmaEs;
import dev.evomerge.search.cmaes.CmaEsSettings;
import dev.evomerge.search.ga.GeneticSearch;
import dev.evomerge.search.ga.GeneticSettings;
import dev.evomerge.search.ga.GenomeEncoding;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The spaces' bounds and start points are what the optimizers take, and whatever they ask decodes. */
class SpacesWithOptimizersTest {

    @Test
    void cmaes_parameterSpaceFromSakanaStart_everyCandidateDecodes() {
        ParameterSpace space = ParameterSpace.of(GenomeDefinition.builder(List.of(ModelSpec.of("models/a"),
                ModelSpec.of("models/b"), ModelSpec.of("models/c")), "dare_ties").baseModel(ModelSpec.of("models/base"))
                .build(), 32);
        CmaEs cma = CmaEs.start(CmaEsSettings.of(space.initialPoint(InitialPoint.SAKANA, null), 1.0 / 6)
                .withBounds(space.bounds()), Xoshiro256.seeded(42));
        List<double[]> asked = cma.ask();
        assertEquals(4 + (int) Math.floor(3 * Math.log(6)), asked.size());
        for (double[] x : asked) {
            assertTrue(space.bounds().contains(x));
            MergeConfig config = space.decode(x);
            assertEquals(RecipeHash.of(config), RecipeHash.of(space.decode(x.clone())));
        }
    }

    @Test
    void geneticSearch_dataFlowSpace_everyCandidateDecodesToAPathOfA() {
        DataFlowSpace space = DataFlowSpace.of(List.of(new DataFlowModel(ModelSpec.of("models/a"), 4, false),
                new DataFlowModel(ModelSpec.of("models/b"), 4, false)), DataFlowSettings.DEFAULTS);
        GeneticSearch ga = GeneticSearch.start(GeneticSettings.of(new GenomeEncoding(space.bounds(),
                space.indicatorGenes())), Xoshiro256.seeded(7));
        for (double[] x : ga.ask()) {
            LayerPath path = space.decode(x);
            assertEquals(new LayerPath.Step(0, 0, path.step(0).scale()), path.step(0));
            assertEquals(3, path.steps().getLast().layer());
            assertTrue(space.pathLength(x) >= 2);
        }
    }
}
