package dev.evomerge.search.space;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.evomerge.config.DTypeSetting;
import dev.evomerge.config.InputSlice;
import dev.evomerge.config.MergeConfig;
import dev.evomerge.config.MergeInputs;
import dev.evomerge.config.ModelSpec;
import dev.evomerge.config.OutputSlice;
import dev.evomerge.config.ParameterSetting;
import dev.evomerge.config.Parameters;
import dev.evomerge.diag.ConfigException;
import dev.evomerge.diag.SourceLocation;
import dev.evomerge.tensor.DType;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class ParameterSpaceTest {

    private static final ModelSpec A = ModelSpec.of("models/a");
    private static final ModelSpec B = ModelSpec.of("models/b");
    private static final ModelSpec C = ModelSpec.of("models/c");
    private static final ModelSpec BASE = ModelSpec.of("models/base");
    private static final SourceLocation GENOME = new SourceLocation(Path.of("evolve.yml"), 1, 1, "genome");

    private static GenomeDefinition.Builder dareTies() {
        return GenomeDefinition.builder(List.of(A, B, C), "dare_ties").baseModel(BASE);
    }

    @Test
    void dimension_sakanaSetting_oneDensityAndWeightPerModel() {
        ParameterSpace space = ParameterSpace.of(dareTies().build(), 32);
        assertEquals(6, space.dimension());
        assertEquals(1, space.groups());
        assertEquals(3, space.models());
        assertEquals(1, space.parameterSets());
        assertEquals(2, space.genesPerSet());
        assertEquals(32, space.layerCount());
    }

    @Test
    void gene_groupsFiltersAndParameters_rowMajorGroupModelSetParameter() {
        ParameterSpace space = ParameterSpace.of(GenomeDefinition.builder(List.of(A, B), "ties").baseModel(BASE)
                .layerGranularity(8).filters(List.of("self_attn", "mlp")).build(), 32);
        assertEquals(4 * 2 * 3 * 2, space.dimension());
        assertEquals(0, space.gene(0, 0, 0, 0));
        assertEquals(1, space.gene(0, 0, 0, 1));
        assertEquals(2, space.gene(0, 0, 1, 0));
        assertEquals(6, space.gene(0, 1, 0, 0));
        assertEquals(12, space.gene(1, 0, 0, 0));
        assertEquals(space.dimension() - 1, space.gene(3, 1, 2, 1));
        assertEquals("layers [8, 16) models/b mlp density", space.describeGene(space.gene(1, 1, 1, 1)));
        assertEquals("layers [24, 32) models/a * weight", space.describeGene(space.gene(3, 0, 2, 0)));
    }

    @Test
    void decode_discreteOneGroup_absWeightsClampedDensitiesBaseAppended() {
        ParameterSpace space = ParameterSpace.of(dareTies().build(), 4);
        MergeConfig config = space.decode(new double[] {-0.25, 1.5, 0.5, -0.75, 2.0, 0.0});
        MergeConfig expected = MergeConfig.of("dare_ties", MergeInputs.Slices.of(List.of(OutputSlice.of(List.of(
                        InputSlice.of(A, 0, 4, params(0.25, 1.0)), InputSlice.of(B, 0, 4, params(0.5, 0.75)),
                        InputSlice.of(C, 0, 4, params(2.0, 0.0)), InputSlice.of(BASE, 0, 4))))))
                .withBaseModel(BASE)
                .withParameters(Parameters.of(Map.of(
                        "normalize", ParameterSetting.scalar(1.0), "int8_mask", ParameterSetting.scalar(1.0))))
                .withDtype(DTypeSetting.of(DType.BF16));
        assertEquals(expected, config);
    }

    private static Parameters params(double weight, double density) {
        Map<String, ParameterSetting> map = new LinkedHashMap<>();
        map.put("weight", ParameterSetting.scalar(weight));
        map.put("density", ParameterSetting.scalar(density));
        return Parameters.of(map);
    }

    @Test
    void decode_negativeWeightsAllowed_weightKeepsSignDensityStillAbs() {
        ParameterSpace space = ParameterSpace.of(dareTies().allowNegativeWeights(true).build(), 4);
        MergeConfig config = space.decode(new double[] {-0.25, -0.5, 0.5, 0.5, 0.5, 0.5});
        var source = ((MergeInputs.Slices) config.inputs()).slices().getFirst().sources().getFirst();
        assertEquals(ParameterSetting.scalar(-0.25), source.parameters().get("weight").orElseThrow());
        assertEquals(ParameterSetting.scalar(0.5), source.parameters().get("density").orElseThrow());
    }

    @Test
    void decode_normalizeUnsetForDella_falseAsMergekitEvolvesRule() {
        ParameterSpace space = ParameterSpace.of(GenomeDefinition.builder(List.of(A, B), "della").baseModel(BASE)
                .build(), 4);
        assertEquals(List.of("weight", "density"), space.method().genes());
        assertEquals(ParameterSetting.scalar(0.0), space.decode(new double[4]).parameters().get("normalize")
                .orElseThrow());
        ParameterSpace normalized = ParameterSpace.of(GenomeDefinition.builder(List.of(A, B), "della")
                .baseModel(BASE).normalize(true).build(), 4);
        assertEquals(ParameterSetting.scalar(1.0), normalized.decode(new double[4]).parameters().get("normalize")
                .orElseThrow());
    }

    @Test
    void bounds_weightsAndDensities_unitIntervalOrSignedWeights() {
        ParameterSpace space = ParameterSpace.of(dareTies().build(), 4);
        assertArrayEquals(new double[6], space.lowerBounds());
        assertArrayEquals(new double[] {1, 1, 1, 1, 1, 1}, space.upperBounds());
        ParameterSpace signed = ParameterSpace.of(dareTies().allowNegativeWeights(true).build(), 4);
        assertArrayEquals(new double[] {-1, 0, -1, 0, -1, 0}, signed.lowerBounds());
        assertArrayEquals(new double[] {1, 1, 1, 1, 1, 1}, signed.upperBounds());
        assertEquals(0, space.indicatorGenes().length);
        for (InitialPoint start : List.of(InitialPoint.MERGEKIT, InitialPoint.SAKANA)) {
            assertTrue(space.bounds().contains(space.initialPoint(start, null)), start.configName());
        }
    }

    @Test
    void decode_slerpGenesSweptOverTheirBounds_reachEveryTMergekitEvolveReaches() {
        // mergekit-evolve's genes are unbounded, so t = softmax([v1, v2])[1] with v1 >= v2 covers (0, 0.5]
        for (boolean signed : new boolean[] {false, true}) {
            ParameterSpace slerp = ParameterSpace.of(GenomeDefinition.builder(List.of(A, B, C), "slerp")
                    .allowNegativeWeights(signed).build(), 4);
            double lo = slerp.lowerBounds()[0];
            double hi = slerp.upperBounds()[0];
            int steps = 200;
            double[] reached = new double[(steps + 1) * (steps + 1)];
            int n = 0;
            for (int i = 0; i <= steps; i++) {
                for (int j = 0; j <= steps; j++) {
                    double[] x = {lo + (hi - lo) * i / steps, lo + (hi - lo) * j / steps, lo};
                    OutputSlice slice = ((MergeInputs.Slices) slerp.decode(x).inputs()).slices().getFirst();
                    reached[n++] = slice.parameters().get("t").orElseThrow().evaluate(null, 0).orElseThrow();
                }
            }
            java.util.Arrays.sort(reached);
            assertTrue(reached[0] <= 0.001, "smallest t " + reached[0]);
            assertEquals(0.5, reached[reached.length - 1], 0.0);
            for (int k = 1; k < reached.length; k++) {
                assertTrue(reached[k] - reached[k - 1] < 0.01, "gap between t " + reached[k - 1] + " and "
                        + reached[k]);
            }
        }
    }

    @Test
    void bounds_weightsWithoutNormalize_reachAboveOne() {
        // mergekit-evolve decodes weight = |x| with no bounds: without normalize, a weight above 1 is a stronger
        // task vector, so the search must reach it; with normalize only the ratios count
        for (String method : List.of("task_arithmetic", "dare_linear", "breadcrumbs", "breadcrumbs_ties", "della",
                "della_linear")) {
            ParameterSpace space = ParameterSpace.of(GenomeDefinition.builder(List.of(A, B), method).baseModel(BASE)
                    .build(), 4);
            int weight = space.gene(0, 0, 0, 0);
            assertEquals(2.0, space.upperBounds()[weight], method);
            assertEquals(0.0, space.lowerBounds()[weight], method);
            if (space.genesPerSet() > 1) {
                assertEquals(1.0, space.upperBounds()[space.gene(0, 0, 0, 1)], method + " density");
            }
            ParameterSpace signed = ParameterSpace.of(GenomeDefinition.builder(List.of(A, B), method).baseModel(BASE)
                    .allowNegativeWeights(true).build(), 4);
            assertEquals(-2.0, signed.lowerBounds()[weight], method);
            ParameterSpace normalized = ParameterSpace.of(GenomeDefinition.builder(List.of(A, B), method)
                    .baseModel(BASE).normalize(true).build(), 4);
            assertEquals(1.0, normalized.upperBounds()[weight], method + " with normalize");
        }
        ParameterSpace linear = ParameterSpace.of(GenomeDefinition.builder(List.of(A, B), "linear").normalize(false)
                .build(), 4);
        // the range follows the method: linear normalizes by default, so its weights keep [0, 1] unnormalized too
        assertEquals(1.0, linear.upperBounds()[0]);
        assertEquals(1.0, ParameterSpace.of(dareTies().build(), 4).upperBounds()[0]);
    }

    @Test
    void initialPoint_mergekitAndSakana_theirStarts() {
        ParameterSpace space = ParameterSpace.of(dareTies().build(), 4);
        assertArrayEquals(new double[] {1.0 / 3, 1, 1.0 / 3, 1, 1.0 / 3, 1}, space.initialPoint(InitialPoint.MERGEKIT,
                null));
        assertArrayEquals(new double[] {0.5, 0.5, 0.5, 0.5, 0.5, 0.5}, space.initialPoint(InitialPoint.SAKANA, null));
        ParameterSpace slerp = ParameterSpace.of(GenomeDefinition.builder(List.of(A, B), "slerp").build(), 4);
        assertArrayEquals(new double[] {0.5, 0.5}, slerp.initialPoint(InitialPoint.MERGEKIT, null));
    }

    @Test
    void initialPoint_random_seededAndWithinBounds() {
        ParameterSpace space = ParameterSpace.of(dareTies().allowNegativeWeights(true).layerGranularity(1).build(),
                4);
        double[] x = space.initialPoint(InitialPoint.RANDOM, new SplittableRandom(3));
        assertArrayEquals(x, space.initialPoint(InitialPoint.RANDOM, new SplittableRandom(3)));
        assertNotEquals(x[0], space.initialPoint(InitialPoint.RANDOM, new SplittableRandom(4))[0]);
        double[] lower = space.lowerBounds();
        double[] upper = space.upperBounds();
        boolean negative = false;
        for (int i = 0; i < x.length; i++) {
            assertTrue(x[i] >= lower[i] && x[i] <= upper[i], "gene " + i + " = " + x[i]);
            negative |= x[i] < 0;
        }
        assertTrue(negative, "signed weights are drawn from [-1, 1]");
    }

    @Test
    void decode_wrongLengthOrNaN_refused() {
        ParameterSpace space = ParameterSpace.of(dareTies().build(), 4);
        assertThrows(IllegalArgumentException.class, () -> space.decode(new double[5]));
        assertThrows(IllegalArgumentException.class, () -> space.decode(new double[] {0, 0, Double.NaN, 0, 0, 0}));
    }

    @Test
    void of_unknownMethod_namesTheSearchableOnes() {
        assertError(b -> GenomeDefinition.builder(List.of(A, B), "model_stock").keyLocation("merge_method", at(3)),
                at(3), "merge_method 'model_stock' cannot be searched in parameter space; use one of linear,"
                        + " task_arithmetic, ties, dare_ties, slerp, dare_linear, breadcrumbs, breadcrumbs_ties, della,"
                        + " della_linear");
    }

    @Test
    void of_taskVectorMethodWithoutBase_refused() {
        assertError(b -> GenomeDefinition.builder(List.of(A, B), "task_arithmetic").keyLocation("merge_method",
                at(2)), at(2), "merge_method task_arithmetic needs a base_model (its task vectors are taken against"
                        + " it); add base_model: with the model the others were fine-tuned from");
    }

    @Test
    void of_slerpLimits_refused() {
        assertError(b -> GenomeDefinition.builder(List.of(A, B), "slerp").smooth(true).keyLocation("smooth", at(4)),
                at(4), "slerp cannot be searched with smooth: true; remove smooth, or use another merge_method");
        assertError(b -> GenomeDefinition.builder(List.of(A, B), "slerp").filters(List.of("mlp"))
                .keyLocation("filters", at(5)), at(5), "slerp cannot be searched with filters; remove filters, or use"
                        + " another merge_method");
        assertError(b -> GenomeDefinition.builder(List.of(A), "slerp"), GENOME,
                "slerp needs at least two models in genome.models, got 1; add the models to interpolate between");
        assertError(b -> GenomeDefinition.builder(List.of(A, B), "slerp").baseModel(BASE).keyLocation("base_model",
                at(6)), at(6), "slerp merges two models per slice, but base_model 'models/base' is not among"
                        + " genome.models and would be a third; remove base_model (each slice's base is the model"
                        + " with the larger gene), or list it in models");
    }

    @Test
    void of_granularityNotDividingLayers_listsDivisors() {
        assertError(b -> dareTies().layerGranularity(5).keyLocation("layer_granularity", at(7)), at(7),
                "layer_granularity 5 does not divide the 12 layers of models/a; use a divisor of 12 (1, 2, 3, 4, 6,"
                        + " 12), or 0 for one group");
        assertError(b -> dareTies().layerGranularity(-1), GENOME, "layer_granularity is -1; use 0 for one parameter"
                + " set over all layers, or a divisor of 12");
    }

    @Test
    void of_emptyOrRepeatedModelsOrEmptyFilter_refused() {
        assertError(b -> GenomeDefinition.builder(List.of(), "ties").baseModel(BASE), GENOME,
                "genome.models is empty; list the models whose merge parameters are searched");
        assertError(b -> GenomeDefinition.builder(List.of(A, B, A), "linear"), GENOME,
                "model 'models/a' is listed twice in genome.models; list each model once");
        assertError(b -> dareTies().filters(List.of("mlp", "")), GENOME, "genome.filters has an empty filter; a"
                + " filter is a part of tensor names such as self_attn or mlp");
    }

    @Test
    void of_layersBelowOne_programmingError() {
        assertThrows(IllegalArgumentException.class, () -> ParameterSpace.of(dareTies().build(), 0));
    }

    @Test
    void definition_builderDefaults_mergekitEvolvesDefaults() {
        GenomeDefinition d = GenomeDefinition.builder(List.of(A), "linear").build();
        assertEquals(0, d.layerGranularity());
        assertTrue(d.normalize().isEmpty() && d.baseModel().isEmpty() && d.tokenizerSource().isEmpty());
        assertEquals("bfloat16", d.dtype().name());
        assertSame(MergeConfig.GENERATED, d.location());
        assertSame(MergeConfig.GENERATED, d.locationOf("filters"));
    }

    private static SourceLocation at(int line) {
        return new SourceLocation(Path.of("evolve.yml"), line, 3, "genome.key");
    }

    private static void assertError(UnaryOperator<GenomeDefinition.Builder> definition, SourceLocation where,
            String message) {
        GenomeDefinition d = definition.apply(null).location(GENOME).build();
        ConfigException e = assertThrows(ConfigException.class, () -> ParameterSpace.of(d, 12));
        assertEquals(where, e.location().orElseThrow());
        assertEquals(message, e.getMessage() + e.suggestion().map(s -> "; " + s).orElse(""));
    }
}
