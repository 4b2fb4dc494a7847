package dev.evomerge.search.space;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.evomerge.config.ModelSpec;
import dev.evomerge.diag.ConfigException;
import dev.evomerge.diag.RunException;
import dev.evomerge.diag.SourceLocation;
import dev.evomerge.dataflow.LayerPath;
import dev.evomerge.dataflow.LayerPath.Step;
import dev.evomerge.search.Bounds;
import dev.evomerge.search.ga.GenomeEncoding;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Models A (3 layers) and B (2 layers): M = 5 stacked layers, A at 0..2, B at 3..4; T = 15 slots with r = 3. */
class DataFlowSpaceTest {

    private static final DataFlowModel A = new DataFlowModel(ModelSpec.of("models/a"), 3, false);
    private static final DataFlowModel B = new DataFlowModel(ModelSpec.of("models/b"), 2, false);
    private static final DataFlowModel TIED = new DataFlowModel(ModelSpec.of("models/t"), 3, true);

    private static DataFlowSpace space(DataFlowSettings settings) {
        return DataFlowSpace.of(List.of(A, B), settings);
    }

    /** A genome of the space with the given slots on and W[i][j] = 0.1 + 0.01·(5i + j) (or slot k's gene 1 + k/100). */
    private static double[] genome(DataFlowSpace space, int... on) {
        double[] x = new double[space.dimension()];
        for (int k = 0; k < space.slots(); k++) {
            x[k] = -0.5;
        }
        for (int k : on) {
            x[k] = 0.5;
        }
        for (int i = space.slots(); i < x.length; i++) {
            int g = i - space.slots();
            x[i] = space.settings().scaling() == Scaling.MATRIX ? 0.1 + 0.01 * g : 1 + g / 100.0;
        }
        return x;
    }

    private static double w(int from, int to) {
        return 0.1 + 0.01 * (from * 5 + to);
    }

    @Test
    void dimension_perScalingMode_indicatorsThenScales() {
        assertEquals(5, space(DataFlowSettings.DEFAULTS).stackedLayers());
        assertEquals(15, space(DataFlowSettings.DEFAULTS).slots());
        assertEquals(15 + 6 * 5, space(DataFlowSettings.DEFAULTS).dimension());
        assertEquals(15 + 15, space(DataFlowSettings.DEFAULTS.withScaling(Scaling.PER_STEP)).dimension());
        assertEquals(15, space(DataFlowSettings.DEFAULTS.withScaling(Scaling.NONE)).dimension());
        DataFlowSpace tied = DataFlowSpace.of(List.of(TIED, B), DataFlowSettings.DEFAULTS);
        assertTrue(tied.embeddingScaleFixed());
        assertEquals(15 + 5 * 5, tied.dimension());
        assertThrows(IndexOutOfBoundsException.class, () -> tied.matrixGene(5, 0));
        assertEquals(15 + 5 * 5 + 4, space(DataFlowSettings.DEFAULTS).matrixGene(5, 4));
    }

    @Test
    void slot_repeatModelLayer_stackedOrder() {
        DataFlowSpace space = space(DataFlowSettings.DEFAULTS);
        assertEquals(0, space.slot(0, 0, 0));
        assertEquals(3, space.slot(0, 1, 0));
        assertEquals(7, space.slot(1, 0, 2));
        assertEquals(14, space.slot(2, 1, 1));
        assertEquals("slot 8 (repeat 1, models/b layer 0)", space.describeGene(8));
        assertEquals("scale of models/b layer 1 after models/a layer 2", space.describeGene(space.matrixGene(2, 4)));
        assertEquals("scale of models/a layer 0 after the embeddings", space.describeGene(space.matrixGene(5, 0)));
    }

    @Test
    void initialPoint_biasOnFirstRepeatOfA_decodesToModelA() {
        DataFlowSpace space = space(DataFlowSettings.DEFAULTS);
        double[] x = space.initialPoint(1.0 / 6);
        for (int k = 0; k < space.slots(); k++) {
            assertEquals(k < 3 ? 2.0 / 6 : 0.0, x[k], 1e-15, "slot " + k);
        }
        for (int i = space.slots(); i < x.length; i++) {
            assertEquals(1.0, x[i]);
        }
        assertEquals(LayerPath.plain(0, 3), space.decode(x));
        assertEquals(1.0, space.initialPoint(0.75)[0], "initial_bias·sigma0 is kept within the indicator bound");
    }

    @Test
    void decode_everySlotOff_constrainedToFirstAndLastLayerOfA() {
        DataFlowSpace space = space(DataFlowSettings.DEFAULTS.withScaling(Scaling.NONE));
        assertEquals(LayerPath.constrained(List.of(new Step(0, 0, 1), new Step(0, 2, 1))),
                space.decode(genome(space)));
        DataFlowSpace oneLayer = DataFlowSpace.of(List.of(new DataFlowModel(ModelSpec.of("one"), 1, false), B),
                DataFlowSettings.DEFAULTS.withScaling(Scaling.NONE));
        assertEquals(LayerPath.constrained(List.of(new Step(0, 0, 1))), oneLayer.decode(genome(oneLayer)));
    }

    @Test
    void decode_pathNotStartingOrEndingWithA_forcedStepsAddedWithMatrixScales() {
        DataFlowSpace space = space(DataFlowSettings.DEFAULTS);
        // B0 in repeat 0, B1 in repeat 1: A0 is put first, A2 last
        LayerPath path = space.decode(genome(space, space.slot(0, 1, 0), space.slot(1, 1, 1)));
        assertEquals(LayerPath.constrained(List.of(new Step(0, 0, w(5, 0)), new Step(1, 0, w(0, 3)),
                new Step(1, 1, w(3, 4)), new Step(0, 2, w(4, 2)))), path);
    }

    @Test
    void decode_startsWithAFirstLayerOfALaterRepeat_nothingForced() {
        DataFlowSpace space = space(DataFlowSettings.DEFAULTS);
        LayerPath path = space.decode(genome(space, space.slot(1, 0, 0), space.slot(1, 1, 1), space.slot(2, 0, 2)));
        assertEquals(LayerPath.constrained(List.of(new Step(0, 0, w(5, 0)), new Step(1, 1, w(0, 4)),
                new Step(0, 2, w(4, 2)))), path);
        assertEquals(3, space.pathLength(genome(space, space.slot(1, 0, 0), space.slot(1, 1, 1),
                space.slot(2, 0, 2))));
    }

    @Test
    void decode_perStep_slotGenesAndForcedStepsTakeTheirSlots() {
        DataFlowSpace space = space(DataFlowSettings.DEFAULTS.withScaling(Scaling.PER_STEP));
        int b1 = space.slot(0, 1, 1);
        LayerPath path = space.decode(genome(space, b1));
        // forced A0 takes slot 0's gene, forced A2 the gene of A's last layer in the last repeat (slot 12)
        assertEquals(LayerPath.constrained(List.of(new Step(0, 0, 1.0), new Step(1, 1, 1 + b1 / 100.0),
                new Step(0, 2, 1.12))), path);
        assertEquals(space.slots() + 12, space.perStepGene(12));
    }

    @Test
    void decode_noScaling_everyScaleOne() {
        DataFlowSpace space = space(DataFlowSettings.DEFAULTS.withScaling(Scaling.NONE));
        LayerPath path = space.decode(genome(space, 1, 3, 4, 8, 13));
        assertTrue(path.steps().stream().allMatch(s -> s.scale() == 1.0), path.toString());
        assertEquals(List.of(0, 1, 3, 4, 3, 3, 2), path.steps().stream().map(s -> s.layer()
                + (s.model() == 1 ? 3 : 0)).toList());
    }

    @Test
    void decode_tiedModelA_firstScaleFixedAtOne() {
        DataFlowSpace matrix = DataFlowSpace.of(List.of(TIED, B), DataFlowSettings.DEFAULTS);
        double[] x = genome(matrix, 0, 1, 2);
        LayerPath path = matrix.decode(x);
        assertEquals(1.0, path.embeddingScale());
        assertEquals(w(0, 1), path.step(1).scale());
        DataFlowSpace perStep = DataFlowSpace.of(List.of(TIED, B), DataFlowSettings.DEFAULTS.withScaling(
                Scaling.PER_STEP));
        assertEquals(1.0, perStep.decode(genome(perStep, 0, 2)).embeddingScale());
    }

    @Test
    void decode_scaleGenesOutsideBounds_nearestBound() {
        DataFlowSpace space = space(DataFlowSettings.DEFAULTS.withScaling(Scaling.PER_STEP));
        double[] x = genome(space, 0, 1, 2);
        x[space.perStepGene(0)] = 5.0;
        x[space.perStepGene(1)] = -0.5;
        LayerPath path = space.decode(x);
        assertEquals(2.0, path.step(0).scale());
        assertEquals(0.0, path.step(1).scale());
    }

    @Test
    void decode_unconstrained_exactlyTheOnSlotsEndsFromFirstAndLastStep() {
        DataFlowSpace space = space(DataFlowSettings.DEFAULTS.withConstraints(false));
        LayerPath path = space.decode(genome(space, space.slot(0, 1, 1), space.slot(1, 0, 2)));
        assertEquals(LayerPath.unconstrained(List.of(new Step(1, 1, w(5, 4)), new Step(0, 2, w(4, 2)))), path);
        assertEquals(1, path.embeddingModel());
        assertEquals(0, path.headModel());
        RunException e = assertThrows(RunException.class, () -> space.decode(genome(space)));
        assertEquals("the genome switches every slot off, so its data-flow path is empty", e.getMessage());
    }

    @Test
    void bounds_indicatorsSignedUnitScalesZeroToTwo() {
        DataFlowSpace space = space(DataFlowSettings.DEFAULTS.withRepeats(1));
        double[] lower = space.lowerBounds();
        double[] upper = space.upperBounds();
        for (int i = 0; i < space.dimension(); i++) {
            boolean indicator = i < space.slots();
            assertEquals(indicator ? -1.0 : 0.0, lower[i]);
            assertEquals(indicator ? 1.0 : 2.0, upper[i]);
        }
        assertArrayEquals(new int[] {0, 1, 2, 3, 4}, space.indicatorGenes());
        assertEquals(new Bounds(lower, upper), space.bounds());
        assertTrue(space.bounds().contains(space.initialPoint(1.0 / 6)));
        // the genetic search's encoding takes the indicators as switches
        GenomeEncoding encoding = new GenomeEncoding(space.bounds(), space.indicatorGenes());
        assertEquals(5, encoding.indicatorCoordinates().length);
    }

    @Test
    void recipe_path_passthroughWithAAsBase() {
        DataFlowSpace space = space(DataFlowSettings.DEFAULTS);
        var recipe = space.recipe(space.decode(space.initialPoint(0.2)));
        assertEquals("passthrough", recipe.mergeMethod());
        assertEquals(A.model(), recipe.baseModel().orElseThrow());
        assertThrows(IllegalArgumentException.class, () -> space.recipe(LayerPath.plain(1, 3)));
    }

    @Test
    void of_userMistakes_configErrorsAtTheirKeys() {
        SourceLocation dfs = new SourceLocation(Path.of("evolve.yml"), 20, 1, "dfs");
        SourceLocation key = new SourceLocation(Path.of("evolve.yml"), 22, 3, "dfs.key");
        DataFlowSettings base = DataFlowSettings.DEFAULTS.at(dfs, Map.of("repeats", key, "constraints", key,
                "initial_bias", key));
        assertError(List.of(A, B), base.withRepeats(0), key, "dfs.repeats is 0");
        assertError(List.of(A, B), base.withInitialBias(0), key, "dfs.initial_bias is 0.0");
        assertError(List.of(A, B), base.withInitialBias(Double.NaN), key, "dfs.initial_bias is NaN");
        assertError(List.of(), base, dfs, "dfs.models is empty");
        assertError(List.of(A, B, A), base, dfs, "model 'models/a' is listed twice in dfs.models");
        assertError(List.of(A, TIED), base.withConstraints(false), key, "dfs.constraints: false needs models with"
                + " their own lm_head, but 'models/t' ties it to its embeddings (the exported model would take its"
                + " head from the first step's embeddings)");
        assertFalse(DataFlowSpace.of(List.of(A, TIED), base).embeddingScaleFixed(), "A's tie flag decides");
    }

    @Test
    void decode_wrongLength_refused() {
        DataFlowSpace space = space(DataFlowSettings.DEFAULTS);
        assertThrows(IllegalArgumentException.class, () -> space.decode(new double[3]));
    }

    private static void assertError(List<DataFlowModel> models, DataFlowSettings settings, SourceLocation where,
            String message) {
        ConfigException e = assertThrows(ConfigException.class, () -> DataFlowSpace.of(models, settings));
        assertEquals(where, e.location().orElseThrow());
        assertEquals(message, e.getMessage());
    }
}
