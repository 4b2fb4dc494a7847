package dev.evomerge.infer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.evomerge.dataflow.LayerPath;
import dev.evomerge.dataflow.LayerPath.Step;
import dev.evomerge.model.ModelConfig;
import dev.evomerge.tensor.DType;
import dev.evomerge.tensor.TensorSource;
import dev.evomerge.tensor.io.InMemoryTensors;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A data-flow path run in memory against its exported checkpoint run as a plain model: the export folds
 * s<sub>t+1</sub> into step t's {@code mlp.down_proj} (weight and bias), s<sub>0</sub> into the embedding matrix, and
 * renumbers the layers ({@code evolutionary-merge.md} §2). Equal logits (1e-4 of their scale) and equal greedy
 * tokens show the scale semantics and the per-step KV caches.
 */
class DataFlowPathTest {

    private static final int[] TOKENS = {3, 17, 42, 8, 91, 55, 23, 7, 64, 12};
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

    /** A path that revisits A's layer 1, with a scale other than 1 on every step. */
    private static final LayerPath CONSTRAINED = LayerPath.constrained(List.of(new Step(0, 0, 1.3),
            new Step(0, 1, 0.7), new Step(1, 2, 1.2), new Step(1, 0, 0.9), new Step(0, 1, 1.1), new Step(0, 3, 0.8)));

    @Test
    void logits_constrainedPathWithScales_matchExportedCheckpoint() {
        assertPathMatchesExport(CONSTRAINED, false);
    }

    @Test
    void logits_unconstrainedPath_embeddingsFromFirstStepHeadFromLast() {
        LayerPath path = LayerPath.unconstrained(List.of(new Step(1, 1, 0.6), new Step(0, 2, 1.4),
                new Step(1, 2, 1.0)));
        assertEquals(1, path.embeddingModel());
        assertEquals(1, path.headModel());
        assertPathMatchesExport(path, false);
    }

    @Test
    void logits_mlpBiases_scaleFoldsIntoDownProjBias() {
        assertPathMatchesExport(CONSTRAINED, true);
    }

    @Test
    void generateAndScore_pathRepeatingALayer_matchExportedCheckpoint() {
        ModelConfig configA = TinyModels.llama(32, 4, false, false);
        ModelConfig configB = TinyModels.llama(32, 3, false, false);
        InMemoryTensors a = TinyModels.weights(configA, 1);
        InMemoryTensors b = TinyModels.weights(configB, 2);
        try (LoadedModel modelA = engine.load(a, configA); LoadedModel modelB = engine.load(b, configB);
                LoadedModel exported = engine.load(export(List.of(a, b), CONSTRAINED),
                        configA.with("num_hidden_layers", CONSTRAINED.size()))) {
            CausalLm path = CausalLm.of(List.of(modelA, modelB), CONSTRAINED);
            CausalLm plain = CausalLm.of(exported);
            List<int[]> prompts = List.of(new int[] {5, 9, 2, 77}, new int[] {1, 2}, TOKENS);
            GenerationOptions options = GenerationOptions.greedy(12);
            List<Generation> ours = path.generate(prompts, options, 3);
            List<Generation> theirs = plain.generate(prompts, options, 3);
            for (int i = 0; i < prompts.size(); i++) {
                assertArrayEquals(theirs.get(i).tokens(), ours.get(i).tokens(), "prompt " + i);
            }
            List<ContinuationRequest> requests = List.of(new ContinuationRequest(new int[] {5, 9}, new int[] {2, 77}),
                    new ContinuationRequest(TOKENS, new int[] {4}));
            List<LogLikelihood> pathScores = path.logLikelihoods(requests, 2);
            List<LogLikelihood> plainScores = plain.logLikelihoods(requests, 2);
            for (int i = 0; i < requests.size(); i++) {
                assertEquals(plainScores.get(i).logProb(), pathScores.get(i).logProb(), 1e-4);
                assertEquals(plainScores.get(i).greedy(), pathScores.get(i).greedy());
            }
        }
    }

    @Test
    void of_path_sharesTheLoadedLayers() {
        ModelConfig configA = TinyModels.llama(32, 4, false, false);
        ModelConfig configB = TinyModels.llama(32, 3, false, false);
        try (LoadedModel modelA = engine.load(TinyModels.weights(configA, 1), configA);
                LoadedModel modelB = engine.load(TinyModels.weights(configB, 2), configB)) {
            CausalLm lm = CausalLm.of(List.of(modelA, modelB), CONSTRAINED);
            assertSame(modelA.layer(1), lm.step(1));
            assertSame(modelA.layer(1), lm.step(4));
            assertSame(modelB.layer(2), lm.step(2));
        }
    }

    @Test
    void of_modelsOfDifferentHiddenSizes_refused() {
        ModelConfig configA = TinyModels.llama(32, 2, false, false);
        ModelConfig configB = TinyModels.llama(16, 2, false, false);
        try (LoadedModel modelA = engine.load(TinyModels.weights(configA, 1), configA);
                LoadedModel modelB = engine.load(TinyModels.weights(configB, 2), configB)) {
            LayerPath path = LayerPath.constrained(List.of(new Step(0, 0, 1), new Step(1, 1, 1), new Step(0, 1, 1)));
            var e = assertThrows(IllegalArgumentException.class, () -> CausalLm.of(List.of(modelA, modelB), path));
            assertTrue(e.getMessage().contains("model 1") && e.getMessage().contains("hidden size 16"),
                    e.getMessage());
        }
    }

    @Test
    void of_layerOutOfRange_refused() {
        ModelConfig config = TinyModels.llama(32, 2, false, false);
        try (LoadedModel model = engine.load(TinyModels.weights(config, 1), config)) {
            LayerPath path = LayerPath.constrained(List.of(new Step(0, 0, 1), new Step(0, 2, 1)));
            var e = assertThrows(IllegalArgumentException.class, () -> CausalLm.of(List.of(model), path));
            assertEquals("step 1 (0:2×1.0) uses layer 2 of model 0, which has 2 layers", e.getMessage());
        }
    }

    @Test
    void logits_closedModel_refused() {
        ModelConfig config = TinyModels.llama(32, 2, false, false);
        LoadedModel model = engine.load(TinyModels.weights(config, 1), config);
        CausalLm lm = CausalLm.of(model);
        model.close();
        assertThrows(IllegalStateException.class, () -> lm.logits(TOKENS));
    }

    private static void assertPathMatchesExport(LayerPath path, boolean mlpBias) {
        ModelConfig configA = TinyModels.llama(32, 4, false, mlpBias);
        ModelConfig configB = TinyModels.llama(32, 3, false, mlpBias);
        InMemoryTensors a = TinyModels.weights(configA, 1);
        InMemoryTensors b = TinyModels.weights(configB, 2);
        try (LoadedModel modelA = engine.load(a, configA); LoadedModel modelB = engine.load(b, configB);
                LoadedModel exported = engine.load(export(List.of(a, b), path),
                        configA.with("num_hidden_layers", path.size()))) {
            float[][] ours = CausalLm.of(List.of(modelA, modelB), path).logits(TOKENS);
            float[][] theirs = CausalLm.of(exported).logits(TOKENS);
            double err = Golden.relativeError(ours, theirs);
            assertTrue(err < TOLERANCE, "relative error " + err);
            // and the scales matter: the same layers unscaled give other logits
            LayerPath unscaled = new LayerPath(path.steps().stream().map(s -> s.withScale(1.0)).toList(),
                    path.embeddingModel(), path.headModel());
            float[][] plain = CausalLm.of(List.of(modelA, modelB), unscaled).logits(TOKENS);
            assertTrue(Golden.relativeError(plain, theirs) > 1e-2);
        }
    }

    /**
     * The path as a standard checkpoint, in memory: step t's layer renumbered to t with s<sub>t+1</sub> folded into
     * its down_proj, s<sub>0</sub> folded into the embeddings, final norm and lm_head from the head model.
     */
    static InMemoryTensors export(List<? extends TensorSource> models, LayerPath path) {
        InMemoryTensors out = new InMemoryTensors();
        TensorSource embedding = models.get(path.embeddingModel());
        copy(embedding, "model.embed_tokens.weight", out, "model.embed_tokens.weight", path.embeddingScale());
        for (int t = 0; t < path.size(); t++) {
            Step step = path.step(t);
            TensorSource source = models.get(step.model());
            String from = "model.layers." + step.layer() + ".";
            for (String name : source.names()) {
                if (name.startsWith(from)) {
                    String rest = name.substring(from.length());
                    double scale = rest.startsWith("mlp.down_proj.") ? path.mlpScale(t) : 1.0;
                    copy(source, name, out, "model.layers." + t + "." + rest, scale);
                }
            }
        }
        TensorSource head = models.get(path.headModel());
        copy(head, "model.norm.weight", out, "model.norm.weight", 1.0);
        copy(head, "lm_head.weight", out, "lm_head.weight", 1.0);
        return out;
    }

    private static void copy(TensorSource from, String name, InMemoryTensors to, String newName, double scale) {
        float[] values = from.floats(name);
        float s = (float) scale;
        for (int i = 0; i < values.length; i++) {
            values[i] *= s;
        }
        to.putFloats(newName, DType.F32, from.info(name).orElseThrow().shape(), values);
    }
}
