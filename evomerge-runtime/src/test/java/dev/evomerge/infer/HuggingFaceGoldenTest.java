package dev.evomerge.infer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

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
}
