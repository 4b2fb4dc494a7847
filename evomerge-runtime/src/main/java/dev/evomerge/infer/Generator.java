package dev.evomerge.infer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.evomerge.infer.block.ForwardPass;
import dev.evomerge.infer.block.KvCache;
import dev.evomerge.infer.block.Tensors;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;

/**
 * Batched greedy generation with KV caches, the batch kept full: up to {@code batchSize} rows run at once, one pass
 * per new token feeding each row's previous arg-max. Every prompt has its own options (budget, stop tokens, stop
 * rule), so the requests of several tasks and documents share batches. Once a quarter of the rows are done, the
 * batch is rebuilt: waiting prompts (longest first) run their prompt pass together and take the free rows, and the
 * running rows' caches are copied into a new block as narrow as its longest row, each row's tokens at its end after a
 * gap no query attends to. So a row that finishes early makes room for the next request instead of idling until its
 * batch is done, and the remaining steps cost what the running rows need.
 *
 * <p>One use per {@link CausalLm#generate} call; not thread-safe.
 */
final class Generator {

    private final CausalLm lm;
    private int[][] tokens;
    private int[] counts;
    private Generation.Reason[] reasons;

    Generator(CausalLm lm) {
        this.lm = lm;
    }

    /** The rows in the caches: request per row, each row's gap {@code [0, pad)}, and the columns held. */
    private record Block(KvCache[] caches, NDManager manager, int[] requests, int[] pad, int past, long[] next) {
    }

    List<Generation> run(List<int[]> prompts, List<GenerationOptions> options, int batchSize) {
        if (options.size() != prompts.size()) {
            throw new IllegalArgumentException(options.size() + " options for " + prompts.size() + " prompts");
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
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
        tokens = new int[prompts.size()][];
        counts = new int[prompts.size()];
        reasons = new Generation.Reason[prompts.size()];
        for (int i = 0; i < prompts.size(); i++) {
            tokens[i] = new int[options.get(i).maxNewTokens()];
        }
        int[] lengths = truncated.stream().mapToInt(p -> p.length).toArray();
        Deque<Integer> waiting = new ArrayDeque<>();
        for (int[] order : Batch.longestFirst(lengths, Integer.MAX_VALUE)) {
            for (int i : order) {
                waiting.add(i);
            }
        }
        try (NDManager request = lm.newRequestManager()) {
            NDArray[] scales = lm.scales(request);
            Block block = null;
            while (!waiting.isEmpty() || block != null) {
                int running = block == null ? 0 : (int) Arrays.stream(block.requests())
                        .filter(b -> reasons[b] == null).count();
                int rows = block == null ? 0 : block.requests().length;
                if (block == null || rows - running >= Math.max(1, rows / 4)) {
                    block = rebuild(request, block, truncated, options, waiting, batchSize, scales);
                    if (block == null) {
                        continue;
                    }
                }
                block = step(request, block, options, scales);
            }
        }
        Generation[] out = new Generation[prompts.size()];
        for (int b = 0; b < out.length; b++) {
            out[b] = new Generation(Arrays.copyOf(tokens[b], counts[b]), reasons[b]);
        }
        return List.of(out);
    }

    /** One pass feeding each row's last token; finished rows stay (idle) until the next rebuild. */
    private Block step(NDManager request, Block block, List<GenerationOptions> options, NDArray[] scales) {
        int rows = block.requests().length;
        long[] next;
        try (ForwardPass pass = new ForwardPass(request, block.pad(), block.past(), 1)) {
            next = lm.decodeGreedy(pass, block.next(), block.caches());
            if (next == null) {
                next = lm.greedy(lm.run(pass, pass.longs(block.next(), rows, 1), block.caches(), scales));
            }
        }
        record(block.requests(), next, options);
        return new Block(block.caches(), block.manager(), block.requests(), block.pad(), block.past() + 1, next);
    }

    /**
     * A new block of the running rows and as many waiting prompts as fit (their prompt pass run here, which gives
     * their first tokens), each row's columns moved to the end of the new block; null when nothing runs and nothing
     * waits. The old block's caches are freed.
     */
    private Block rebuild(NDManager request, Block old, List<int[]> prompts, List<GenerationOptions> options,
            Deque<Integer> waiting, int batchSize, NDArray[] scales) {
        List<Integer> keep = new ArrayList<>();
        if (old != null) {
            for (int r = 0; r < old.requests().length; r++) {
                if (reasons[old.requests()[r]] == null) {
                    keep.add(r);
                }
            }
        }
        NDManager manager = request.newSubManager();
        List<int[]> fresh = new ArrayList<>();
        List<Integer> freshRequests = new ArrayList<>();
        while (keep.size() + fresh.size() < batchSize && !waiting.isEmpty()) {
            int i = waiting.poll();
            fresh.add(prompts.get(i));
            freshRequests.add(i);
        }
        if (keep.isEmpty() && fresh.isEmpty()) {
            if (old != null) {
                old.manager().close();
            }
            manager.close();
            return null;
        }
        Batch batch = null;
        KvCache[] prefill = null;
        NDManager prefillManager = request.newSubManager();
        long[] firstTokens = null;
        if (!fresh.isEmpty()) {
            int width = fresh.stream().mapToInt(p -> p.length).max().orElseThrow();
            batch = Batch.leftPadded(fresh, width, lm.embeddingVocabSize());
            prefill = lm.caches(prefillManager, fresh.size(), width);
            try (ForwardPass pass = new ForwardPass(request, batch.padLeft(), 0, width)) {
                NDArray hidden = lm.run(pass, pass.longs(batch.ids(), fresh.size(), width), prefill, scales);
                NDArray last = Tensors.slice(hidden, 1, width - 1, width, pass.manager());
                firstTokens = lm.greedy(last);
            }
            record(freshRequests.stream().mapToInt(Integer::intValue).toArray(), firstTokens, options);
        }
        // rows that go on: the kept ones, then the fresh ones whose first token did not end them
        int rows = keep.size();
        for (int f = 0; f < fresh.size(); f++) {
            rows += reasons[freshRequests.get(f)] == null ? 1 : 0;
        }
        if (rows == 0) {
            if (old != null) {
                old.manager().close();
            }
            prefillManager.close();
            manager.close();
            return waiting.isEmpty() ? null : rebuild(request, null, prompts, options, waiting, batchSize, scales);
        }
        int[] requests = new int[rows];
        long[] next = new long[rows];
        long[] sourceRows = new long[rows];
        int[] from = new int[rows];
        int[] columns = new int[rows];
        boolean[] fromPrefill = new boolean[rows];
        int r = 0;
        for (int k : keep) {
            requests[r] = old.requests()[k];
            next[r] = old.next()[k];
            sourceRows[r] = k;
            from[r] = old.pad()[k];
            columns[r] = old.past() - old.pad()[k];
            r++;
        }
        for (int f = 0; f < fresh.size(); f++) {
            if (reasons[freshRequests.get(f)] != null) {
                continue;
            }
            requests[r] = freshRequests.get(f);
            next[r] = firstTokens[f];
            sourceRows[r] = f;
            from[r] = batch.padLeft()[f];
            columns[r] = fresh.get(f).length;
            fromPrefill[r] = true;
            r++;
        }
        int width = Arrays.stream(columns).max().orElseThrow();
        int budget = 0;
        int[] pad = new int[rows];
        int[] at = new int[rows];
        for (r = 0; r < rows; r++) {
            budget = Math.max(budget, options.get(requests[r]).maxNewTokens() - counts[requests[r]]);
            pad[r] = width - columns[r];
            at[r] = pad[r];
        }
        KvCache[] caches = new KvCache[lm.depth()];
        for (int t = 0; t < caches.length; t++) {
            KvCache[] sources = new KvCache[rows];
            for (r = 0; r < rows; r++) {
                sources[r] = fromPrefill[r] ? prefill[t] : old.caches()[t];
            }
            caches[t] = KvCache.assemble(manager, sources, sourceRows, from, columns, at, width, width + budget);
        }
        if (old != null) {
            old.manager().close();
        }
        prefillManager.close();
        return new Block(caches, manager, requests, pad, width, next);
    }

    /** Records each row's new token and whether it ends the row; rows already done are skipped. */
    private void record(int[] requests, long[] next, List<GenerationOptions> options) {
        for (int r = 0; r < requests.length; r++) {
            int b = requests[r];
            if (reasons[b] != null) {
                continue;
            }
            int token = (int) next[r];
            tokens[b][counts[b]++] = token;
            reasons[b] = reasonToStop(options.get(b), tokens[b], counts[b], token);
        }
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
