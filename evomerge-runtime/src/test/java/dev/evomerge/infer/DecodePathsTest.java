package dev.evomerge.infer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.evomerge.infer.block.Projection;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * A decode step has two implementations: on the heap with the panel kernel (where the JDK's vector module is there:
 * this test's surefire execution, the launcher) and in PyTorch calls (everywhere else, e.g. a Maven JVM without the
 * module). Both
 * give transformers' greedy tokens on every family's golden model (biases, q/k norms, sliding window, tied
 * embeddings), alone and in a batch whose rows end at different steps; {@link HuggingFaceGoldenTest} runs the
 * default, this test each path by name.
 */
class DecodePathsTest {

    static final List<String> MODELS = Golden.MODELS;

    private static InferenceEngine engine;

    @BeforeAll
    static void start() {
        engine = InferenceEngine.cpu(1);
    }

    @AfterAll
    static void stop() {
        Projection.usePanels(true);
        engine.close();
    }

    @ParameterizedTest
    @FieldSource("MODELS")
    void pyTorchPath_sameTokensAsTransformers(String name) {
        Projection.usePanels(false);
        try {
            check(name);
        } finally {
            Projection.usePanels(true);
        }
    }

    @ParameterizedTest
    @FieldSource("MODELS")
    void panelPath_sameTokensAsTransformers(String name) {
        assumeTrue(Projection.panelsAvailable(), "needs --add-modules jdk.incubator.vector and AVX2");
        check(name);
    }

    private static void check(String name) {
        Golden g = Golden.of(name);
        try (LoadedModel model = engine.load(g.dir())) {
            CausalLm lm = CausalLm.of(model);
            GenerationOptions options = GenerationOptions.greedy(g.maxNewTokens());
            for (int i = 0; i < g.prompts().size(); i++) {
                Generation alone = lm.generate(List.of(g.prompts().get(i)), options, 1).getFirst();
                assertArrayEquals(g.generatedAlone().get(i), alone.tokens(), name + " prompt " + i + " alone");
            }
            List<Generation> batched = lm.generate(g.prompts(), options, g.prompts().size());
            for (int i = 0; i < g.prompts().size(); i++) {
                assertArrayEquals(g.generatedBatched().get(i), batched.get(i).tokens(), name + " prompt " + i
                        + " in a batch");
            }
            // budgets 1 .. n: rows leave the batch at different steps and the rest are moved to a narrower block
            List<GenerationOptions> spread = new ArrayList<>();
            for (int i = 0; i < g.prompts().size(); i++) {
                spread.add(GenerationOptions.greedy(Math.max(1, g.maxNewTokens() * (i + 1) / g.prompts().size())));
            }
            List<Generation> ragged = lm.generate(g.prompts(), spread, g.prompts().size());
            for (int i = 0; i < g.prompts().size(); i++) {
                int[] expected = g.generatedBatched().get(i);
                assertArrayEquals(Arrays.copyOf(expected, spread.get(i).maxNewTokens()),
                        ragged.get(i).tokens(), name + " prompt " + i + " with budget " + spread.get(i).maxNewTokens());
            }
        }
    }
}
