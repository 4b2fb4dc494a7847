package dev.evomerge.infer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Scoring that computes each shared context once (multiple-choice documents, few-shot stems), and generation that
 * batches rows of different budgets and drops finished rows, checked against one plain forward pass per request
 * ({@link CausalLm#logits}) and against generating each prompt alone.
 */
class SharedContextScoringTest {

    private static InferenceEngine engine;
    private static LoadedModel llama;
    private static LoadedModel mistral;

    @BeforeAll
    static void start() {
        engine = InferenceEngine.cpu(1);
        llama = engine.load(Golden.of("llama").dir());
        mistral = engine.load(Golden.of("mistral-sliding").dir());
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    /** Few-shot multiple choice: a 24-token stem, per document a question, per question four continuations. */
    private static List<ContinuationRequest> fewShotChoices(SplittableRandom rnd, int documents) {
        int[] stem = rnd.ints(24, 1, 128).toArray();
        List<ContinuationRequest> out = new ArrayList<>();
        for (int d = 0; d < documents; d++) {
            int[] question = rnd.ints(3 + rnd.nextInt(8), 1, 128).toArray();
            int[] context = Arrays.copyOf(stem, stem.length + question.length);
            System.arraycopy(question, 0, context, stem.length, question.length);
            for (int c = 0; c < 4; c++) {
                out.add(new ContinuationRequest(context, rnd.ints(1 + rnd.nextInt(4), 1, 128).toArray()));
            }
            // a request on its own, unrelated to the stem
            out.add(new ContinuationRequest(rnd.ints(2 + rnd.nextInt(30), 1, 128).toArray(),
                    rnd.ints(1 + rnd.nextInt(3), 1, 128).toArray()));
        }
        return out;
    }

    /**
     * One-shot documents: each draws one of three shots of different lengths (so several stems, some under a
     * description they all share), then its own passage; one continuation each, every third document four.
     */
    private static List<ContinuationRequest> oneShotDocuments(SplittableRandom rnd, int documents) {
        int[] description = rnd.ints(6, 1, 128).toArray();
        List<int[]> shots = new ArrayList<>();
        for (int length : new int[] {18, 25, 31}) {
            int[] shot = Arrays.copyOf(description, description.length + length);
            System.arraycopy(rnd.ints(length, 1, 128).toArray(), 0, shot, description.length, length);
            shots.add(shot);
        }
        List<ContinuationRequest> out = new ArrayList<>();
        for (int d = 0; d < documents; d++) {
            int[] shot = shots.get(rnd.nextInt(shots.size()));
            int[] passage = rnd.ints(1 + rnd.nextInt(12), 1, 128).toArray();
            int[] context = Arrays.copyOf(shot, shot.length + passage.length);
            System.arraycopy(passage, 0, context, shot.length, passage.length);
            for (int c = 0; c < (d % 3 == 0 ? 4 : 1); c++) {
                out.add(new ContinuationRequest(context, rnd.ints(1 + rnd.nextInt(4), 1, 128).toArray()));
            }
        }
        return out;
    }

    /**
     * Nested stems: a description, then one of three first shots, then one of two second shots (a stem on a stem on
     * a stem), or five fixed shots; then each document's passage (one continuation, every fourth four).
     */
    private static List<ContinuationRequest> nestedShotDocuments(SplittableRandom rnd, int documents) {
        int[] description = rnd.ints(20, 1, 128).toArray();
        List<int[]> first = new ArrayList<>();
        for (int length : new int[] {17, 22, 30}) {
            first.add(concat(description, rnd.ints(length, 1, 128).toArray()));
        }
        int[][] second = {rnd.ints(16, 1, 128).toArray(), rnd.ints(19, 1, 128).toArray()};
        int[] fixed = concat(description, rnd.ints(70, 1, 128).toArray());
        List<ContinuationRequest> out = new ArrayList<>();
        for (int d = 0; d < documents; d++) {
            int[] shots = d % 3 == 0 ? fixed
                    : concat(first.get(rnd.nextInt(first.size())), second[rnd.nextInt(second.length)]);
            int[] context = concat(shots, rnd.ints(1 + rnd.nextInt(12), 1, 128).toArray());
            for (int c = 0; c < (d % 4 == 0 ? 4 : 1); c++) {
                out.add(new ContinuationRequest(context, rnd.ints(1 + rnd.nextInt(4), 1, 128).toArray()));
            }
        }
        return out;
    }

    private static int[] concat(int[] a, int[] b) {
        int[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void logLikelihoods_stemsOnStems_matchOnePlainPassPerRequest() {
        assertMatchesPlainPasses(nestedShotDocuments(new SplittableRandom(21), 16));
    }

    /**
     * Ten documents behind a 40-token description and one of two 20-token shots (their passages start with distinct
     * tokens): the description runs once, each shot once on top of it, then each document's own tokens. With a stem
     * budget of 100 columns (the description and one shot), the documents of each shot form a window, and the
     * description runs once in each. Scores equal scoring each request alone.
     */
    @Test
    void logLikelihoods_stemsOnStems_runOncePerWindow() {
        SplittableRandom rnd = new SplittableRandom(33);
        int[] description = rnd.ints(40, 1, 128).toArray();
        int[][] shots = {concat(description, rnd.ints(20, 1, 128).toArray()),
            concat(description, rnd.ints(20, 1, 128).toArray())};
        shots[1][40] = shots[0][40] % 127 + 1;
        List<ContinuationRequest> requests = new ArrayList<>();
        long own = 0;
        for (int d = 0; d < 10; d++) {
            int[] passage = rnd.ints(3 + rnd.nextInt(9), 1, 128).toArray();
            passage[0] = 1 + d;
            ContinuationRequest r = new ContinuationRequest(concat(shots[d % 2], passage),
                    rnd.ints(1 + rnd.nextInt(3), 1, 128).toArray());
            requests.add(r);
            own += r.whole().length - 1 - 60;
        }
        CausalLm lm = CausalLm.of(llama);
        List<LogLikelihood> alone = new ArrayList<>();
        for (ContinuationRequest r : requests) {
            alone.add(lm.logLikelihoods(List.of(r), 1).getFirst());
        }
        long perColumn = 0;
        for (int t = 0; t < lm.depth(); t++) {
            perColumn += 2L * lm.step(t).attention().kvHeads() * lm.step(t).attention().headDim() * Float.BYTES;
        }
        for (long budget : new long[] {Scorer.STEM_BYTES, 100 * perColumn}) {
            ScoringTokens before = lm.scoringTokens();
            List<LogLikelihood> together = new Scorer(lm, budget).run(requests, 4);
            ScoringTokens after = lm.scoringTokens();
            for (int i = 0; i < requests.size(); i++) {
                assertEquals(alone.get(i).logProb(), together.get(i).logProb(),
                        1e-5 * Math.max(1, Math.abs(alone.get(i).logProb())), "budget " + budget + ", request " + i);
                assertEquals(alone.get(i).greedy(), together.get(i).greedy());
            }
            long descriptions = budget == Scorer.STEM_BYTES ? 1 : 2;
            assertEquals(descriptions * 40 + 2 * 20 + own, after.tokens() - before.tokens(), "budget " + budget);
        }
    }

    @Test
    void logLikelihoods_sharedContextsAndStems_matchOnePlainPassPerRequest() {
        assertMatchesPlainPasses(fewShotChoices(new SplittableRandom(9), 5));
    }

    @Test
    void logLikelihoods_stemsSharedByPartOfTheRequests_matchOnePlainPassPerRequest() {
        assertMatchesPlainPasses(oneShotDocuments(new SplittableRandom(12), 11));
    }

    private static void assertMatchesPlainPasses(List<ContinuationRequest> requests) {
        for (LoadedModel model : List.of(llama, mistral)) {
            CausalLm lm = CausalLm.of(model);
            List<double[]> expected = new ArrayList<>();
            for (ContinuationRequest r : requests) {
                int[] whole = r.whole();
                float[][] logits = lm.logits(Arrays.copyOf(whole, whole.length - 1));
                double sum = 0;
                boolean greedy = true;
                for (int j = 0; j < r.continuationLength(); j++) {
                    float[] row = logits[r.context().length - 1 + j];
                    int token = r.continuation()[j];
                    sum += row[token] - LogitRows.logSumExp(row);
                    greedy &= LogitRows.argMax(row) == token;
                }
                expected.add(new double[] {sum, greedy ? 1 : 0});
            }
            for (int batch : new int[] {1, 3, 4, 8, 100}) {
                List<LogLikelihood> ours = lm.logLikelihoods(requests, batch);
                for (int i = 0; i < requests.size(); i++) {
                    double want = expected.get(i)[0];
                    assertEquals(want, ours.get(i).logProb(), 1e-5 * Math.max(1, Math.abs(want)),
                            model + ", batch " + batch + ", request " + i);
                    assertEquals(expected.get(i)[1] == 1, ours.get(i).greedy(), model + " request " + i);
                }
            }
        }
    }

    @Test
    void logLikelihoods_sharedContextPastMaxLength_cutAsAlone() {
        SplittableRandom rnd = new SplittableRandom(4);
        int[] context = rnd.ints(40, 1, 128).toArray();
        List<ContinuationRequest> requests = new ArrayList<>();
        for (int c = 0; c < 4; c++) {
            requests.add(new ContinuationRequest(context, rnd.ints(1 + c, 1, 128).toArray()));
        }
        CausalLm lm = CausalLm.of(llama).withMaxLength(16);
        List<LogLikelihood> together = lm.logLikelihoods(requests, 4);
        for (int i = 0; i < requests.size(); i++) {
            assertEquals(lm.logLikelihoods(List.of(requests.get(i)), 1).getFirst().logProb(),
                    together.get(i).logProb(), 1e-5, "request " + i);
        }
    }

    @Test
    void generate_rowsOfDifferentBudgetsAndStops_sameAsAlone() {
        SplittableRandom rnd = new SplittableRandom(6);
        CausalLm lm = CausalLm.of(llama);
        List<int[]> prompts = new ArrayList<>();
        List<GenerationOptions> options = new ArrayList<>();
        int[] budgets = {3, 9, 5, 12, 1, 7};
        for (int budget : budgets) {
            prompts.add(rnd.ints(2 + rnd.nextInt(9), 1, 128).toArray());
            options.add(GenerationOptions.greedy(budget));
        }
        // the fourth row stops at its own third token
        int third = lm.generate(List.of(prompts.get(3)), options.get(3), 1).getFirst().tokens()[2];
        options.set(3, options.get(3).withStopTokens(Set.of(third)));
        for (int batch : new int[] {2, 6}) {
            List<Generation> together = lm.generate(prompts, options, batch);
            for (int i = 0; i < prompts.size(); i++) {
                Generation alone = lm.generate(List.of(prompts.get(i)), options.get(i), 1).getFirst();
                assertArrayEquals(alone.tokens(), together.get(i).tokens(), "batch " + batch + ", prompt " + i);
                assertEquals(alone.reason(), together.get(i).reason());
            }
        }
        assertEquals(Generation.Reason.STOP_TOKEN, lm.generate(prompts, options, 6).get(3).reason());
        assertEquals(3, lm.generate(prompts, options, 6).get(3).tokens().length);
    }
}
