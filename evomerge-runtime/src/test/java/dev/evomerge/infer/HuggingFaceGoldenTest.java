package dev.evomerge.infer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.evomerge.infer.family.ModelFamilies;
import dev.evomerge.infer.family.Rope;
import dev.evomerge.infer.family.TransformerConfig;
import dev.evomerge.model.ModelConfig;
import dev.evomerge.tensor.io.SafetensorsModel;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Our forward pass against Hugging Face transformers on tiny random models of every family (goldens from
 * {@code src/test/reference/infer/make_goldens.py}): logits within 1e-4 of the logits' scale, alone and in a
 * left-padded batch, and the same greedy tokens.
 */
class HuggingFaceGoldenTest {

    static final List<String> MODELS = Golden.MODELS;
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

    @ParameterizedTest
    @FieldSource("MODELS")
    void logits_eachSequenceAlone_matchTransformers(String name) {
        Golden g = Golden.of(name);
        try (LoadedModel model = engine.load(g.dir())) {
            CausalLm lm = CausalLm.of(model);
            for (int i = 0; i < g.sequences().size(); i++) {
                double err = Golden.relativeError(lm.logits(g.sequences().get(i)), g.logits().get(i));
                assertTrue(err < TOLERANCE, name + " sequence " + i + ": relative error " + err);
            }
        }
    }

    @ParameterizedTest
    @FieldSource("MODELS")
    void logits_leftPaddedBatch_matchTransformersBatch(String name) {
        Golden g = Golden.of(name);
        try (LoadedModel model = engine.load(g.dir())) {
            List<float[][]> ours = CausalLm.of(model).logits(g.sequences());
            int width = g.batchLogits()[0].length;
            for (int i = 0; i < ours.size(); i++) {
                int length = g.sequences().get(i).length;
                float[][] theirs = Arrays.copyOfRange(g.batchLogits()[i], width - length, width);
                double err = Golden.relativeError(ours.get(i), theirs);
                assertTrue(err < TOLERANCE, name + " row " + i + ": relative error " + err);
            }
        }
    }

    @ParameterizedTest
    @FieldSource("MODELS")
    void generate_greedy_sameTokensAsTransformers(String name) {
        Golden g = Golden.of(name);
        try (LoadedModel model = engine.load(g.dir())) {
            CausalLm lm = CausalLm.of(model);
            GenerationOptions options = GenerationOptions.greedy(g.maxNewTokens());
            for (int i = 0; i < g.prompts().size(); i++) {
                Generation alone = lm.generate(List.of(g.prompts().get(i)), options, 1).getFirst();
                assertArrayEquals(g.generatedAlone().get(i), alone.tokens(), name + " prompt " + i + " alone");
                assertEquals(Generation.Reason.MAX_TOKENS, alone.reason());
            }
            List<Generation> batched = lm.generate(g.prompts(), options, g.prompts().size());
            for (int i = 0; i < g.prompts().size(); i++) {
                assertArrayEquals(g.generatedBatched().get(i), batched.get(i).tokens(), name + " prompt " + i
                        + " in a batch");
            }
        }
    }

    /** The goldens exercise what they are for: without llama3 scaling or the sliding window, logits drift away. */
    @ParameterizedTest
    @ValueSource(strings = {"llama3-tied", "mistral-sliding"})
    void logits_withoutRopeScalingOrSlidingWindow_differFromTransformers(String name) {
        Golden g = Golden.of(name);
        TransformerConfig c = ModelFamilies.read(ModelConfig.read(g.dir().resolve("config.json")));
        TransformerConfig plain = new TransformerConfig(c.family(), c.hiddenSize(), c.intermediateSize(), c.layers(),
                c.heads(), c.kvHeads(), c.headDim(), c.vocabSize(), c.rmsNormEps(), Rope.of(c.rope().theta()),
                TransformerConfig.fullAttention(c.layers()), c.qkvBias(), c.outputBias(), c.mlpBias(), c.qkNorm(),
                c.tiedEmbeddings(), c.maxPositions());
        try (SafetensorsModel weights = SafetensorsModel.open(g.dir());
                LoadedModel model = engine.load(weights, plain, name + " without its feature")) {
            double err = Golden.relativeError(CausalLm.of(model).logits(g.sequences().getFirst()),
                    g.logits().getFirst());
            assertTrue(err > 1e-2, name + ": relative error only " + err);
        }
    }
}
