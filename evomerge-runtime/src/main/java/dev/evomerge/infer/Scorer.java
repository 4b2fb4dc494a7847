package dev.evomerge.infer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.evomerge.infer.block.ForwardPass;
import dev.evomerge.infer.block.KvCache;
import dev.evomerge.infer.block.Tensors;
import java.nio.IntBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Log-likelihoods of continuations, each shared context computed once. A request's input (context and continuation
 * without its last token, cut to the max length) splits into its prefix, which ends with the token that predicts the
 * continuation's first token, and its tail, the continuation's other tokens but the last. Requests with the same
 * prefix (the choices of a {@code multiple_choice} document) form a group:
 *
 * <ol>
 *   <li>the batch's prefixes run once per group, left-padded, filling KV caches; the last column's logits score every
 *       member's first token;</li>
 *   <li>each member's tail then runs on a copy of its group's caches, all members in one right-padded batch, and
 *       scores the remaining tokens.</li>
 * </ol>
 *
 * A stem shared by every prefix of a batch (a task's description and fixed few-shot examples) runs once, on its own,
 * and its caches are kept for the next batches while they start with it; the batch's prefixes then run only past the
 * stem, padded between the stem and their own tokens. At the scored positions a float32 log-softmax gives the picked
 * log-probabilities and the arg-max. Numbers match a single pass over each input within float rounding.
 *
 * <p>Batches hold at most {@code batchSize} requests (a larger group is cut into pieces), longest prefix first. One
 * use per {@link CausalLm#logLikelihoods} call; not thread-safe.
 */
final class Scorer {

    /** The shortest stem worth a pass of its own. */
    private static final int MIN_STEM = 16;

    private final CausalLm lm;
    /** The stem whose caches are kept, or null. */
    private int[] stem;
    private KvCache[] stemCaches;
    private NDManager stemManager;

    Scorer(CausalLm lm) {
        this.lm = lm;
    }

    /** Requests with one prefix: the prefix, and the members' positions in the request list. */
    private record Group(int[] prefix, List<Integer> members) {
    }

    List<LogLikelihood> run(List<ContinuationRequest> requests, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        }
        int maxLength = lm.maxLength();
        int[][] tails = new int[requests.size()][];
        Map<IntBuffer, List<Integer>> byPrefix = new LinkedHashMap<>();
        for (int i = 0; i < requests.size(); i++) {
            ContinuationRequest r = requests.get(i);
            if (r.continuationLength() > maxLength) {
                throw new IllegalArgumentException("a continuation of " + r.continuationLength()
                        + " tokens is longer than the max length " + maxLength);
            }
            int[] whole = r.whole();
            int[] input = Arrays.copyOfRange(Batch.lastTokens(whole, maxLength + 1), 0,
                    Math.min(whole.length, maxLength + 1) - 1);
            for (int token : input) {
                if (token < 0 || token >= lm.embeddingVocabSize()) {
                    throw new IllegalArgumentException("token id " + token + " is outside the vocabulary [0, "
                            + lm.embeddingVocabSize() + ")");
                }
            }
            int split = input.length - (r.continuationLength() - 1);
            tails[i] = Arrays.copyOfRange(input, split, input.length);
            byPrefix.computeIfAbsent(IntBuffer.wrap(Arrays.copyOf(input, split)), k -> new ArrayList<>()).add(i);
        }
        List<Group> groups = new ArrayList<>();
        byPrefix.forEach((prefix, members) -> {
            for (int from = 0; from < members.size(); from += batchSize) {
                groups.add(new Group(prefix.array(), members.subList(from, Math.min(members.size(),
                        from + batchSize))));
            }
        });
        int[] lengths = groups.stream().mapToInt(g -> g.prefix().length).toArray();
        LogLikelihood[] results = new LogLikelihood[requests.size()];
        try (NDManager runManager = lm.newRequestManager()) {
            // longest first; consecutive groups share a batch while their requests fit in it
            List<Group> batch = new ArrayList<>();
            int members = 0;
            for (int[] order : Batch.longestFirst(lengths, Integer.MAX_VALUE)) {
                for (int g : order) {
                    Group group = groups.get(g);
                    if (!batch.isEmpty() && members + group.members().size() > batchSize) {
                        scoreBatch(runManager, batch, requests, tails, results);
                        batch.clear();
                        members = 0;
                    }
                    batch.add(group);
                    members += group.members().size();
                }
            }
            if (!batch.isEmpty()) {
                scoreBatch(runManager, batch, requests, tails, results);
            }
        } finally {
            stemManager = null;
            stemCaches = null;
            stem = null;
        }
        return List.of(results);
    }

    private void scoreBatch(NDManager runManager, List<Group> groups, List<ContinuationRequest> requests,
            int[][] tails, LogLikelihood[] results) {
        int stemLength = stemFor(runManager, groups);
        int rows = groups.size();
        List<int[]> own = groups.stream()
                .map(g -> Arrays.copyOfRange(g.prefix(), stemLength, g.prefix().length)).toList();
        int width = own.stream().mapToInt(o -> o.length).max().orElseThrow();
        Batch batch = Batch.leftPadded(own, width, lm.embeddingVocabSize());
        int[] gapStart = new int[rows];
        int[] gapEnd = new int[rows];
        for (int g = 0; g < rows; g++) {
            gapStart[g] = stemLength;
            gapEnd[g] = stemLength + batch.padLeft()[g];
        }
        // members in batch order: which group each belongs to, its tail and continuation
        List<Integer> members = new ArrayList<>();
        List<Integer> groupOf = new ArrayList<>();
        for (int g = 0; g < rows; g++) {
            for (int m : groups.get(g).members()) {
                members.add(m);
                groupOf.add(g);
            }
        }
        int count = members.size();
        int span = members.stream().mapToInt(m -> tails[m].length).max().orElseThrow();
        long[] memberGroups = groupOf.stream().mapToLong(Integer::longValue).toArray();
        long[] firstTokens = new long[count];
        for (int r = 0; r < count; r++) {
            firstTokens[r] = requests.get(members.get(r)).continuation()[0];
        }
        int columns = stemLength + width;
        float[] firstPicked;
        long[] firstArgMax;
        float[] tailPicked = null;
        long[] tailArgMax = null;
        try (NDManager request = lm.newRequestManager()) {
            NDArray[] scales = lm.scales(request);
            KvCache[] caches = null;
            if (stemLength > 0) {
                caches = select(stemCaches, request, new long[rows], columns + span);
            } else if (span > 0) {
                caches = lm.caches(request, rows, columns + span);
            }
            try (ForwardPass pass = ForwardPass.withGaps(request, gapStart, gapEnd, stemLength, width)) {
                NDArray hidden = lm.run(pass, pass.longs(batch.ids(), rows, width), caches, scales);
                NDArray logits = lm.head(Tensors.slice(hidden, 1, width - 1, width, pass.manager()))
                        .reshape(rows, -1);
                firstArgMax = logits.argMax(-1).toLongArray();
                // member r reads its group's row at its first token: flat index group · vocab + token
                long vocab = logits.getShape().get(1);
                long[] flat = new long[count];
                for (int r = 0; r < count; r++) {
                    flat[r] = memberGroups[r] * vocab + firstTokens[r];
                }
                firstPicked = logits.logSoftmax(-1).reshape(-1).gather(pass.longs(flat, count), 0).toFloatArray();
            }
            if (span > 0) {
                // one member per group: the members' rows are the groups' rows, in order
                KvCache[] memberCaches = count == rows ? caches : select(caches, request, memberGroups,
                        columns + span);
                long[] ids = new long[count * span];
                long[] targets = new long[count * span];
                int[] memberGapStart = new int[count];
                int[] memberGapEnd = new int[count];
                for (int r = 0; r < count; r++) {
                    int m = members.get(r);
                    int[] continuation = requests.get(m).continuation();
                    for (int j = 0; j < tails[m].length; j++) {
                        ids[r * span + j] = tails[m][j];
                        targets[r * span + j] = continuation[j + 1];
                    }
                    memberGapStart[r] = gapStart[groupOf.get(r)];
                    memberGapEnd[r] = gapEnd[groupOf.get(r)];
                }
                // tails are right-padded: a padding column comes after the row's real ones and is never read
                try (ForwardPass pass = ForwardPass.withGaps(request, memberGapStart, memberGapEnd, columns, span)) {
                    NDArray hidden = lm.run(pass, pass.longs(ids, count, span), memberCaches, scales);
                    NDArray logits = lm.head(hidden);
                    tailArgMax = logits.argMax(-1).toLongArray();
                    tailPicked = logits.logSoftmax(-1).gather(pass.longs(targets, count, span, 1), 2).toFloatArray();
                }
            }
        }
        for (int r = 0; r < count; r++) {
            int m = members.get(r);
            int[] continuation = requests.get(m).continuation();
            double sum = firstPicked[r];
            boolean greedy = firstArgMax[groupOf.get(r)] == continuation[0];
            for (int j = 0; j < tails[m].length; j++) {
                sum += tailPicked[r * span + j];
                greedy &= tailArgMax[r * span + j] == continuation[j + 1];
            }
            results[m] = new LogLikelihood(sum, greedy);
        }
    }

    private static KvCache[] select(KvCache[] caches, NDManager manager, long[] rows, int capacity) {
        KvCache[] out = new KvCache[caches.length];
        for (int t = 0; t < caches.length; t++) {
            out[t] = caches[t].select(manager, rows, capacity);
        }
        return out;
    }

    /**
     * The length of the stem this batch runs on (0 for none), computing and keeping its caches when the kept stem
     * does not serve: the kept one serves while every prefix starts with it and the batch's common prefix is not
     * {@link #MIN_STEM} tokens longer. A stem always leaves each prefix at least its last token.
     */
    private int stemFor(NDManager runManager, List<Group> groups) {
        int[] first = groups.getFirst().prefix();
        int common = first.length - 1;
        for (Group g : groups) {
            int[] p = g.prefix();
            common = Math.min(common, p.length - 1);
            int differ = Arrays.mismatch(first, 0, common, p, 0, common);
            if (differ >= 0) {
                common = differ;
            }
        }
        boolean keptServes = stem != null && stem.length <= common
                && Arrays.equals(stem, 0, stem.length, first, 0, stem.length);
        if (keptServes && common < stem.length + MIN_STEM) {
            return stem.length;
        }
        if (common < MIN_STEM || groups.size() == 1) {
            // a lone group's prefix gains nothing from a new stem nobody else reads yet
            return keptServes ? stem.length : 0;
        }
        if (stemManager != null) {
            stemManager.close();
        }
        stemManager = runManager.newSubManager();
        stem = Arrays.copyOf(first, common);
        stemCaches = lm.caches(stemManager, 1, common);
        try (ForwardPass pass = new ForwardPass(stemManager, new int[1], 0, common)) {
            long[] ids = new long[common];
            for (int i = 0; i < common; i++) {
                ids[i] = stem[i];
            }
            lm.run(pass, pass.longs(ids, 1, common), stemCaches, lm.scales(pass.manager()));
        }
        return common;
    }
}
