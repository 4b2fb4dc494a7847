package dev.evomerge.infer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.evomerge.infer.block.ForwardPass;
import dev.evomerge.infer.block.KvCache;
import dev.evomerge.infer.block.Tensors;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Batched greedy generation with KV caches: one pass over the left-padded prompts fills the caches, then one pass
 * per new token feeds the previous step's arg-max. Every prompt has its own options (budget, stop tokens, stop rule),
 * so the requests of several tasks share batches. Finished rows leave the batch: once a quarter of its rows are done,
 * the caches are cut down to the running rows, so the remaining steps cost what the running rows need.
 *
 * <p>One use per {@link CausalLm#generate} call; not thread-safe.
 */
final class Generator {

    private final CausalLm lm;

    Generator(CausalLm lm) {
        this.lm = lm;
    }

    List<Generation> run(List<int[]> prompts, List<GenerationOptions> options, int batchSize) {
        if (options.size() != prompts.size()) {
            throw new IllegalArgumentException(options.size() + " options for " + prompts.size() + " prompts");
        }
        List<int[]> truncated = new ArrayList<>(prompts.size());
        for (int i = 0; i < prompts.size(); i++) {
            int budget = lm.maxLength() - options.get(i).maxNewTokens();
            if (budget < 1) {
                throw new IllegalArgumentException("maxNewTokens " + options.get(i).maxNewTokens()
                        + " leaves no room for a prompt in max length " + lm.maxLength());
            }
            truncated.add(Batch.lastTokens(prompts.get(i), budget));
        }
        Generation[] results = new Generation[prompts.size()];
        int[] lengths = truncated.stream().mapToInt(p -> p.length).toArray();
        for (int[] indices : Batch.longestFirst(lengths, batchSize)) {
            List<int[]> rows = Arrays.stream(indices).mapToObj(truncated::get).toList();
            List<GenerationOptions> rowOptions = Arrays.stream(indices).mapToObj(options::get).toList();
            Generation[] out = generateBatch(rows, rowOptions);
            for (int i = 0; i < indices.length; i++) {
                results[indices[i]] = out[i];
            }
        }
        return List.of(results);
    }

    private Generation[] generateBatch(List<int[]> prompts, List<GenerationOptions> options) {
        int rows = prompts.size();
        int width = prompts.stream().mapToInt(p -> p.length).max().orElseThrow();
        Batch batch = Batch.leftPadded(prompts, width, lm.embeddingVocabSize());
        int max = options.stream().mapToInt(GenerationOptions::maxNewTokens).max().orElseThrow();
        int[][] tokens = new int[rows][];
        for (int b = 0; b < rows; b++) {
            tokens[b] = new int[options.get(b).maxNewTokens()];
        }
        int[] counts = new int[rows];
        Generation.Reason[] reasons = new Generation.Reason[rows];
        // the batch's rows still in the caches, as indices into prompts, and their padding
        int[] live = IntStream.range(0, rows).toArray();
        int[] padLeft = batch.padLeft();
        int running = rows;
        try (NDManager request = lm.newRequestManager()) {
            NDManager cacheManager = request.newSubManager();
            KvCache[] caches = lm.caches(cacheManager, rows, width + max);
            NDArray[] scales = lm.scales(request);
            long[] ids = batch.ids();
            int past = 0;
            int length = width;
            while (running > 0) {
                long[] next;
                try (ForwardPass pass = new ForwardPass(request, padLeft, past, length)) {
                    NDArray hidden = lm.run(pass, pass.longs(ids, live.length, length), caches, scales);
                    NDArray last = Tensors.slice(hidden, 1, length - 1, length, pass.manager());
                    next = lm.head(last).argMax(-1).toLongArray();
                }
                for (int r = 0; r < live.length; r++) {
                    int b = live[r];
                    if (reasons[b] != null) {
                        continue;
                    }
                    int token = (int) next[r];
                    tokens[b][counts[b]++] = token;
                    Generation.Reason reason = reasonToStop(options.get(b), tokens[b], counts[b], token);
                    if (reason != null) {
                        reasons[b] = reason;
                        running--;
                    }
                }
                past += length;
                length = 1;
                ids = next;
                if (running > 0 && live.length - running >= Math.max(1, live.length / 4)) {
                    // drop the finished rows: copy the running rows' caches and carry on with them only
                    long[] keep = new long[running];
                    int[] keptLive = new int[running];
                    int[] keptPad = new int[running];
                    long[] keptIds = new long[running];
                    for (int r = 0, k = 0; r < live.length; r++) {
                        if (reasons[live[r]] == null) {
                            keep[k] = r;
                            keptLive[k] = live[r];
                            keptPad[k] = padLeft[r];
                            keptIds[k++] = next[r];
                        }
                    }
                    NDManager kept = request.newSubManager();
                    KvCache[] smaller = new KvCache[caches.length];
                    for (int t = 0; t < caches.length; t++) {
                        smaller[t] = caches[t].select(kept, keep, width + max);
                    }
                    cacheManager.close();
                    cacheManager = kept;
                    caches = smaller;
                    live = keptLive;
                    padLeft = keptPad;
                    ids = keptIds;
                }
            }
        }
        Generation[] out = new Generation[rows];
        for (int b = 0; b < rows; b++) {
            out[b] = new Generation(Arrays.copyOf(tokens[b], counts[b]), reasons[b]);
        }
        return out;
    }

    private static Generation.Reason reasonToStop(GenerationOptions options, int[] row, int count, int token) {
        if (options.stopTokens().contains(token)) {
            return Generation.Reason.STOP_TOKEN;
        }
        if (options.stop() != StopCriterion.NEVER && options.stop().shouldStop(Arrays.copyOf(row, count))) {
            return Generation.Reason.STOP_CRITERION;
        }
        return count == options.maxNewTokens() ? Generation.Reason.MAX_TOKENS : null;
    }
}
