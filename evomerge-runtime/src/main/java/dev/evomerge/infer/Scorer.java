package dev.evomerge.infer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.evomerge.infer.block.ForwardPass;
import dev.evomerge.infer.block.Tensors;
import java.util.Arrays;
import java.util.List;

/**
 * Log-likelihoods of continuations: one forward pass per batch over the left-padded inputs (context and
 * continuation without its last token), then, at the positions that predict continuation tokens only, a float32
 * log-softmax, the picked log-probabilities and the arg-max.
 *
 * <p>One use per {@link CausalLm#logLikelihoods} call; not thread-safe.
 */
final class Scorer {

    private final CausalLm lm;

    Scorer(CausalLm lm) {
        this.lm = lm;
    }

    List<LogLikelihood> run(List<ContinuationRequest> requests, int batchSize) {
        int maxLength = lm.maxLength();
        List<int[]> inputs = requests.stream().map(r -> {
            if (r.continuationLength() > maxLength) {
                throw new IllegalArgumentException("a continuation of " + r.continuationLength()
                        + " tokens is longer than the max length " + maxLength);
            }
            int[] whole = r.whole();
            return Arrays.copyOfRange(Batch.lastTokens(whole, maxLength + 1), 0,
                    Math.min(whole.length, maxLength + 1) - 1);
        }).toList();
        LogLikelihood[] results = new LogLikelihood[requests.size()];
        int[] lengths = inputs.stream().mapToInt(i -> i.length).toArray();
        for (int[] indices : Batch.longestFirst(lengths, batchSize)) {
            List<int[]> rows = Arrays.stream(indices).mapToObj(inputs::get).toList();
            List<int[]> continuations = Arrays.stream(indices).mapToObj(i -> requests.get(i).continuation()).toList();
            LogLikelihood[] out = scoreBatch(rows, continuations);
            for (int i = 0; i < indices.length; i++) {
                results[indices[i]] = out[i];
            }
        }
        return List.of(results);
    }

    private LogLikelihood[] scoreBatch(List<int[]> inputs, List<int[]> continuations) {
        int rows = inputs.size();
        int width = inputs.stream().mapToInt(i -> i.length).max().orElseThrow();
        int span = continuations.stream().mapToInt(c -> c.length).max().orElseThrow();
        Batch batch = Batch.leftPadded(inputs, width, lm.embeddingVocabSize());
        // the continuation of row b fills the last c_b of the `span` positions scored; the rest are ignored
        long[] targets = new long[rows * span];
        for (int b = 0; b < rows; b++) {
            int[] c = continuations.get(b);
            for (int j = 0; j < c.length; j++) {
                targets[b * span + span - c.length + j] = c[j];
            }
        }
        float[] picked;
        long[] argMax;
        try (NDManager request = lm.newRequestManager();
                ForwardPass pass = new ForwardPass(request, batch.padLeft(), 0, width)) {
            NDArray hidden = lm.run(pass, pass.longs(batch.ids(), rows, width), null, lm.scales(request));
            NDArray logits = lm.head(Tensors.slice(hidden, 1, width - span, width, pass.manager()));
            NDArray logProbs = logits.logSoftmax(-1);
            picked = logProbs.gather(pass.longs(targets, rows, span, 1), 2).toFloatArray();
            argMax = logits.argMax(-1).toLongArray();
        }
        LogLikelihood[] out = new LogLikelihood[rows];
        for (int b = 0; b < rows; b++) {
            int[] c = continuations.get(b);
            double sum = 0;
            boolean greedy = true;
            for (int j = 0; j < c.length; j++) {
                int at = b * span + span - c.length + j;
                sum += picked[at];
                greedy &= argMax[at] == c[j];
            }
            out[b] = new LogLikelihood(sum, greedy);
        }
        return out;
    }
}
