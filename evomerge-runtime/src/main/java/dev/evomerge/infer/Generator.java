package dev.evomerge.infer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.evomerge.infer.block.ForwardPass;
import dev.evomerge.infer.block.KvCache;
import dev.evomerge.infer.block.Tensors;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Batched greedy generation with KV caches: one pass over the left-padded prompts fills the caches, then one pass
 * per new token feeds the previous step's arg-max. A finished row keeps running (its outputs are ignored) until
 * every row of its batch is finished.
 *
 * <p>One use per {@link CausalLm#generate} call; not thread-safe.
 */
final class Generator {

    private final CausalLm lm;
    private final GenerationOptions options;

    Generator(CausalLm lm, GenerationOptions options) {
        this.lm = lm;
        this.options = options;
    }

    List<Generation> run(List<int[]> prompts, int batchSize) {
        int budget = lm.maxLength() - options.maxNewTokens();
        if (budget < 1) {
            throw new IllegalArgumentException("maxNewTokens " + options.maxNewTokens()
                    + " leaves no room for a prompt in max length " + lm.maxLength());
        }
        List<int[]> truncated = prompts.stream().map(p -> Batch.lastTokens(p, budget)).toList();
        Generation[] results = new Generation[prompts.size()];
        int[] lengths = truncated.stream().mapToInt(p -> p.length).toArray();
        for (int[] indices : Batch.longestFirst(lengths, batchSize)) {
            List<int[]> rows = Arrays.stream(indices).mapToObj(truncated::get).toList();
            Generation[] out = generateBatch(rows);
            for (int i = 0; i < indices.length; i++) {
                results[indices[i]] = out[i];
            }
        }
        return List.of(results);
    }

    private Generation[] generateBatch(List<int[]> prompts) {
        int rows = prompts.size();
        int width = prompts.stream().mapToInt(p -> p.length).max().orElseThrow();
        Batch batch = Batch.leftPadded(prompts, width, lm.embeddingVocabSize());
        int max = options.maxNewTokens();
        int[][] tokens = new int[rows][max];
        int[] counts = new int[rows];
        Generation.Reason[] reasons = new Generation.Reason[rows];
        int running = rows;
        try (NDManager request = lm.newRequestManager()) {
            KvCache[] caches = lm.caches(request, rows, width + max);
            NDArray[] scales = lm.scales(request);
            long[] ids = batch.ids();
            int past = 0;
            int length = width;
            while (running > 0) {
                long[] next;
                try (ForwardPass pass = new ForwardPass(request, batch.padLeft(), past, length)) {
                    NDArray hidden = lm.run(pass, pass.longs(ids, rows, length), caches, scales);
                    NDArray last = Tensors.slice(hidden, 1, length - 1, length, pass.manager());
                    next = lm.head(last).argMax(-1).toLongArray();
                }
                for (int b = 0; b < rows; b++) {
                    if (reasons[b] != null) {
                        continue;
                    }
                    int token = (int) next[b];
                    tokens[b][counts[b]++] = token;
                    Generation.Reason reason = reasonToStop(tokens[b], counts[b], token);
                    if (reason != null) {
                        reasons[b] = reason;
                        running--;
                    }
                }
                ids = next;
                past += length;
                length = 1;
            }
        }
        Generation[] out = new Generation[rows];
        for (int b = 0; b < rows; b++) {
            out[b] = new Generation(Arrays.copyOf(tokens[b], counts[b]), reasons[b]);
        }
        return out;
    }

    private Generation.Reason reasonToStop(int[] row, int count, int token) {
        if (options.stopTokens().contains(token)) {
            return Generation.Reason.STOP_TOKEN;
        }
        if (options.stop() != StopCriterion.NEVER && options.stop().shouldStop(Arrays.copyOf(row, count))) {
            return Generation.Reason.STOP_CRITERION;
        }
        return count == options.maxNewTokens() ? Generation.Reason.MAX_TOKENS : null;
    }
}
