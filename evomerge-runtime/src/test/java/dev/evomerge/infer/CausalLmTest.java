package dev.evomerge.infer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.pytorch.jni.JniUtils;
import dev.evomerge.model.ModelConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Generation and scoring at the token level: against transformers' logits, batched against alone, options. */
class CausalLmTest {

    private static InferenceEngine engine;
    private static LoadedModel llama;
    private static LoadedModel mistral;
    private static Golden llamaGolden;

    @BeforeAll
    static void start() {
        engine = InferenceEngine.cpu(1);
        llamaGolden = Golden.of("llama");
        llama = engine.load(llamaGolden.dir());
        mistral = engine.load(Golden.of("mistral-sliding").dir());
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    @Test
    void logLikelihoods_goldenSequence_matchTransformersLogits() {
        int[] seq = llamaGolden.sequences().getFirst();
        float[][] hf = llamaGolden.logits().getFirst();
        List<ContinuationRequest> requests = new ArrayList<>();
        for (int split = 1; split < seq.length; split += 3) {
            requests.add(new ContinuationRequest(Arrays.copyOf(seq, split), Arrays.copyOfRange(seq, split,
                    Math.min(seq.length, split + 4))));
        }
        List<LogLikelihood> ours = CausalLm.of(llama).logLikelihoods(requests, 3);
        for (int i = 0; i < requests.size(); i++) {
            ContinuationRequest r = requests.get(i);
            double expected = 0;
            boolean greedy = true;
            for (int j = 0; j < r.continuation().length; j++) {
                float[] row = hf[r.context().length - 1 + j];
                int token = r.continuation()[j];
                expected += row[token] - LogitRows.logSumExp(row);
                greedy &= LogitRows.argMax(row) == token;
            }
            assertEquals(expected, ours.get(i).logProb(), 1e-4 * Math.max(1, Math.abs(expected)), "request " + i);
            assertEquals(greedy, ours.get(i).greedy(), "request " + i);
        }
    }

    @Test
    void logLikelihoods_batchedOrAlone_within1e5() {
        SplittableRandom rnd = new SplittableRandom(3);
        List<ContinuationRequest> requests = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            requests.add(new ContinuationRequest(rnd.ints(1 + rnd.nextInt(11), 0, 128).toArray(),
                    rnd.ints(1 + rnd.nextInt(4), 0, 128).toArray()));
        }
        for (LoadedModel model : List.of(llama, mistral)) {
            CausalLm lm = CausalLm.of(model);
            List<LogLikelihood> alone = lm.logLikelihoods(requests, 1);
            for (int batch : new int[] {3, 9}) {
                List<LogLikelihood> batched = lm.logLikelihoods(requests, batch);
                for (int i = 0; i < requests.size(); i++) {
                    assertEquals(alone.get(i).logProb(), batched.get(i).logProb(), 1e-5, model + " request " + i);
                    assertEquals(alone.get(i).greedy(), batched.get(i).greedy());
                }
            }
        }
    }

    @Test
    void logLikelihoods_greedyContinuation_flaggedGreedy() {
        CausalLm lm = CausalLm.of(llama);
        int[] context = {5, 17, 99, 3};
        int[] greedy = lm.generate(List.of(context), GenerationOptions.greedy(5), 1).getFirst().tokens();
        int[] other = greedy.clone();
        other[2] = (other[2] + 1) % 128;
        List<LogLikelihood> scores = lm.logLikelihoods(List.of(new ContinuationRequest(context, greedy),
                new ContinuationRequest(context, other)), 2);
        assertTrue(scores.get(0).greedy());
        assertFalse(scores.get(1).greedy());
        assertTrue(scores.get(0).logProb() > scores.get(1).logProb());
    }

    @Test
    void logLikelihoods_longerThanMaxLength_contextLosesItsOldestTokens() {
        CausalLm lm = CausalLm.of(llama);
        int[] context = {5, 17, 99, 3, 42, 64, 7, 120, 33, 8};
        int[] continuation = {91, 11};
        double truncated = lm.withMaxLength(8).logLikelihoods(
                List.of(new ContinuationRequest(context, continuation)), 1).getFirst().logProb();
        // the input is the last 8 tokens before the final one: context[3..] then continuation[0]
        double expected = lm.logLikelihoods(List.of(new ContinuationRequest(Arrays.copyOfRange(context, 3, 10),
                continuation)), 1).getFirst().logProb();
        assertEquals(expected, truncated, 1e-6);
        assertTrue(Math.abs(expected - lm.logLikelihoods(List.of(new ContinuationRequest(context, continuation)), 1)
                .getFirst().logProb()) > 1e-3, "the truncation changes the answer");
    }

    @Test
    void generate_stopToken_endsWithIt() {
        CausalLm lm = CausalLm.of(llama);
        int[] full = llamaGolden.generatedAlone().getFirst();
        Generation g = lm.generate(List.of(llamaGolden.prompts().getFirst()),
                GenerationOptions.greedy(8).withStopTokens(Set.of(full[2])), 1).getFirst();
        assertArrayEquals(Arrays.copyOf(full, 3), g.tokens());
        assertEquals(Generation.Reason.STOP_TOKEN, g.reason());
    }

    @Test
    void generate_stopCriterionForOneRow_othersRunToTheBudget() {
        CausalLm lm = CausalLm.of(mistral);
        List<int[]> prompts = Golden.of("mistral-sliding").prompts();
        List<Generation> free = lm.generate(prompts, GenerationOptions.greedy(8), 3);
        int[] first = free.getFirst().tokens();
        AtomicInteger calls = new AtomicInteger();
        // stops a row once its first four tokens are those of prompt 0's generation
        StopCriterion criterion = generated -> {
            calls.incrementAndGet();
            return generated.length == 4 && Arrays.equals(generated, Arrays.copyOf(first, 4));
        };
        List<Generation> stopped = lm.generate(prompts, GenerationOptions.greedy(8).withStop(criterion), 3);
        assertArrayEquals(Arrays.copyOf(first, 4), stopped.getFirst().tokens());
        assertEquals(Generation.Reason.STOP_CRITERION, stopped.getFirst().reason());
        for (int i = 1; i < prompts.size(); i++) {
            assertArrayEquals(free.get(i).tokens(), stopped.get(i).tokens());
            assertEquals(Generation.Reason.MAX_TOKENS, stopped.get(i).reason());
        }
        assertTrue(calls.get() >= 4 + 2 * 8 - 2, calls.get() + " calls");
    }

    @Test
    void generate_promptOverTheBudget_losesItsOldestTokens() {
        CausalLm lm = CausalLm.of(llama);
        int[] prompt = {5, 17, 99, 3, 42, 64, 7, 120, 33};
        List<Generation> truncated = lm.withMaxLength(10).generate(List.of(prompt), GenerationOptions.greedy(4), 1);
        List<Generation> expected = lm.generate(List.of(Arrays.copyOfRange(prompt, 3, 9)),
                GenerationOptions.greedy(4), 1);
        assertEquals(expected, truncated);
        assertThrows(IllegalArgumentException.class,
                () -> lm.withMaxLength(4).generate(List.of(prompt), GenerationOptions.greedy(4), 1));
    }

    @Test
    void generate_tokenOutsideVocabulary_refused() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> CausalLm.of(llama).generate(List.of(new int[] {1, 128}), GenerationOptions.greedy(2), 1));
        assertEquals("token id 128 is outside the vocabulary [0, 128)", e.getMessage());
    }

    @Test
    void calls_setTheEnginesThreadCountOnTheCallingThread() throws Exception {
        ModelConfig config = TinyModels.llama(32, 1, true, false);
        try (InferenceEngine two = InferenceEngine.cpu(2); LoadedModel model = two.load(TinyModels.weights(config, 1),
                config)) {
            int[] seen = new int[2];
            Thread t = new Thread(() -> {
                CausalLm.of(llama).logits(new int[] {1, 2});
                seen[0] = JniUtils.getNumThreads();
                CausalLm.of(model).logits(new int[] {1, 2});
                seen[1] = JniUtils.getNumThreads();
            });
            t.start();
            t.join();
            assertArrayEquals(new int[] {1, 2}, seen);
        }
    }

    @Test
    void generateAndScore_fromSeveralThreadsAtOnce_sameAsOneAfterAnother() throws Exception {
        CausalLm lm = CausalLm.of(mistral);
        List<int[]> prompts = Golden.of("mistral-sliding").prompts();
        List<ContinuationRequest> requests = List.of(new ContinuationRequest(prompts.get(0), prompts.get(1)),
                new ContinuationRequest(prompts.get(2), prompts.get(0)));
        List<Generation> generated = lm.generate(prompts, GenerationOptions.greedy(6), 2);
        List<LogLikelihood> scored = lm.logLikelihoods(requests, 2);
        var pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<Boolean>> runs = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                runs.add(pool.submit(() -> lm.generate(prompts, GenerationOptions.greedy(6), 2).equals(generated)
                        && lm.logLikelihoods(requests, 2).equals(scored)));
            }
            for (var run : runs) {
                assertTrue(run.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
