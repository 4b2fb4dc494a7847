package dev.evomerge.search.space;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.evomerge.dataflow.LayerPath;
import dev.evomerge.infer.CausalLm;
import dev.evomerge.infer.InferenceEngine;
import dev.evomerge.infer.LoadedModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The equivalence of {@code evolutionary-merge.md} §2: a path run in memory by the forward pass over its models'
 * layers gives the same logits (float32 weights: within 1e-4 of their scale) as the checkpoint
 * {@link DataFlowCheckpoint} writes for it, run as a plain model. Since that checkpoint has mergekit's tensors
 * ({@link DataFlowExportGoldenTest}), the exported recipe run through mergekit gives the same model too.
 */
class DataFlowEquivalenceTest {

    private static final int[] TOKENS = {1, 5, 17, 3, 9, 22, 14, 30, 7, 2, 11};
    private static final double TOLERANCE = 1e-4;

    private static InferenceEngine engine;

    @BeforeAll
    static void start() {
        engine = InferenceEngine.cpu(1);
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    /** The float32 cases: with bfloat16 weights the folded scales are rounded, the in-memory ones are not. */
    static Stream<Arguments> cases() {
        return DataFlowFixtures.cases().entrySet().stream().filter(e -> !e.getValue().models().contains("h"))
                .map(e -> Arguments.of(e.getKey(), e.getValue()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void logits_pathInMemory_matchExportedCheckpoint(String name, DataFlowFixtures.Case c, @TempDir Path tmp) {
        Path exported = tmp.resolve(name);
        DataFlowCheckpoint.write(c.path(), DataFlowFixtures.models(c.models()), exported, false);
        List<LoadedModel> models = new ArrayList<>();
        try (LoadedModel plain = engine.load(exported)) {
            for (String m : c.models()) {
                models.add(engine.load(DataFlowFixtures.ROOT.resolve("models").resolve(m)));
            }
            float[][] ours = CausalLm.of(models, c.path()).logits(TOKENS);
            float[][] theirs = CausalLm.of(plain).logits(TOKENS);
            double error = relativeError(ours, theirs);
            assertTrue(error < TOLERANCE, name + ": relative error " + error);
            if (c.path().steps().stream().anyMatch(s -> s.scale() != 1.0)) {
                // the scales matter: the same layers unscaled give other logits
                LayerPath unscaled = new LayerPath(c.path().steps().stream().map(s -> s.withScale(1.0)).toList(),
                        c.path().embeddingModel(), c.path().headModel());
                double apart = relativeError(CausalLm.of(models, unscaled).logits(TOKENS), theirs);
                assertTrue(apart > 1e-2, name + ": unscaled path only " + apart + " apart");
            }
        } finally {
            models.forEach(LoadedModel::close);
        }
    }

    /** The largest difference over the largest reference magnitude. */
    private static double relativeError(float[][] actual, float[][] expected) {
        double diff = 0;
        double scale = 0;
        for (int i = 0; i < expected.length; i++) {
            for (int j = 0; j < expected[i].length; j++) {
                diff = Math.max(diff, Math.abs((double) actual[i][j] - expected[i][j]));
                scale = Math.max(scale, Math.abs(expected[i][j]));
            }
        }
        return diff / scale;
    }
}
