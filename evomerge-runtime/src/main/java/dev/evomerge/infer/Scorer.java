package dev.evomerge.infer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.evomerge.infer.block.ForwardPass;
import dev.evomerge.infer.block.KvCache;
import dev.evomerge.infer.block.Tensors;
import java.nio.IntBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
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
 * Groups whose prefixes start alike share a stem: a task's description, or the few-shot examples that several
 * documents drew. Sorted, each prefix's stem is the longest start it has in common with a neighbour (at least
 * {@link #MIN_STEM} tokens, and at least two groups reading it); every distinct stem runs once, in one right-padded
 * pass with the batch's other new stems, and its caches are kept until its last group has run. A batch's prefixes
 * then run past their stems: row {@code g}'s cache holds its stem's columns, then a gap up to the batch's longest
 * stem and its own left padding, then its own tokens. At the scored positions a float32 log-softmax gives the picked
 * log-probabilities and the arg-max. Numbers match a single pass over each input within float rounding.
 *
 * <p>Batches hold at most {@code batchSize} requests (a larger group is cut into pieces, which share their prefix
 * less its last token as a stem). The groups of one stem are batched together; stems and lone groups go longest
 * first. One use per {@link CausalLm#logLikelihoods} call; not thread-safe.
 */
final class Scorer {

    /** The shortest stem worth a pass of its own. */
    private static final int MIN_STEM = 16;

    private final CausalLm lm;
    /** The stems computed so far and still read by a batch to come. */
    private final Map<IntBuffer, Stem> stems = new HashMap<>();
    /** Per stem, the groups that read it. */
    private Map<IntBuffer, Integer> readers = Map.of();

    Scorer(CausalLm lm) {
        this.lm = lm;
    }

    /** Requests with one prefix: the prefix, the length of its stem (0: none), and the members' positions. */
    private record Group(int[] prefix, int stem, List<Integer> members) {

        IntBuffer stemKey() {
            return IntBuffer.wrap(prefix, 0, stem);
        }
    }

    /** Stems computed in one pass: their caches (row per stem) and the groups still to read them. */
    private static final class StemPass {
        final NDManager manager;
        final KvCache[] caches;
        int readers;

        StemPass(NDManager manager, KvCache[] caches) {
            this.manager = manager;
            this.caches = caches;
        }
    }

    /** One stem: the pass that computed it and its row there. */
    private record Stem(StemPass pass, int row) {
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
        List<int[]> prefixes = new ArrayList<>();
        List<List<Integer>> pieces = new ArrayList<>();
        byPrefix.forEach((prefix, members) -> {
            for (int from = 0; from < members.size(); from += batchSize) {
                prefixes.add(prefix.array());
                pieces.add(members.subList(from, Math.min(members.size(), from + batchSize)));
            }
        });
        int[] stemLengths = stems(prefixes);
        List<Group> groups = new ArrayList<>();
        for (int g = 0; g < prefixes.size(); g++) {
            groups.add(new Group(prefixes.get(g), stemLengths[g], pieces.get(g)));
        }
        readers = readers(prefixes, stemLengths);
        LogLikelihood[] results = new LogLikelihood[requests.size()];
        try (NDManager runManager = lm.newRequestManager()) {
            List<Group> batch = new ArrayList<>();
            int members = 0;
            for (Group group : batchOrder(groups)) {
                if (!batch.isEmpty() && members + group.members().size() > batchSize) {
                    scoreBatch(runManager, batch, requests, tails, results);
                    batch.clear();
                    members = 0;
                }
                batch.add(group);
                members += group.members().size();
            }
            if (!batch.isEmpty()) {
                scoreBatch(runManager, batch, requests, tails, results);
            }
        } finally {
            stems.clear();
        }
        return List.of(results);
    }

    /**
     * Each prefix's stem length: in lexicographic order, the longer of its common starts with its two neighbours
     * (or the shorter, when nobody else would read the longer), cut to leave it at least one token of its own; 0
     * where that is under {@link #MIN_STEM} or no other prefix has the same stem.
     */
    private static int[] stems(List<int[]> prefixes) {
        int n = prefixes.size();
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (x, y) -> Arrays.compare(prefixes.get(x), prefixes.get(y)));
        // common[k]: common start of the k-th and (k+1)-th prefixes in sorted order
        int[] common = new int[Math.max(0, n - 1)];
        for (int k = 0; k + 1 < n; k++) {
            int[] a = prefixes.get(order[k]);
            int[] b = prefixes.get(order[k + 1]);
            int differ = Arrays.mismatch(a, b);
            common[k] = differ < 0 ? a.length : differ;
        }
        int[] longer = new int[n];
        int[] shorter = new int[n];
        for (int k = 0; k < n; k++) {
            int before = k > 0 ? common[k - 1] : 0;
            int after = k + 1 < n ? common[k] : 0;
            int cap = prefixes.get(order[k]).length - 1;
            longer[order[k]] = worth(Math.min(cap, Math.max(before, after)));
            shorter[order[k]] = worth(Math.min(cap, Math.min(before, after)));
        }
        int[] out = longer.clone();
        Map<IntBuffer, Integer> readers = readers(prefixes, out);
        for (int g = 0; g < n; g++) {
            if (out[g] > 0 && readers.get(IntBuffer.wrap(prefixes.get(g), 0, out[g])) == 1) {
                out[g] = shorter[g];
            }
        }
        readers = readers(prefixes, out);
        for (int g = 0; g < n; g++) {
            if (out[g] > 0 && readers.get(IntBuffer.wrap(prefixes.get(g), 0, out[g])) == 1) {
                out[g] = 0;
            }
        }
        return out;
    }

    private static int worth(int stem) {
        return stem >= MIN_STEM ? stem : 0;
    }

    private static Map<IntBuffer, Integer> readers(List<int[]> prefixes, int[] stems) {
        Map<IntBuffer, Integer> out = new HashMap<>();
        for (int g = 0; g < stems.length; g++) {
            if (stems[g] > 0) {
                out.merge(IntBuffer.wrap(prefixes.get(g), 0, stems[g]), 1, Integer::sum);
            }
        }
        return out;
    }

    /**
     * The groups in the order they are batched: the groups of one stem together, the longest past the stem first
     * among them; stems (by their longest) and groups without one, longest past the stem first, ties in request
     * order, so that rows of similar widths share a batch.
     */
    private static List<Group> batchOrder(List<Group> groups) {
        Map<IntBuffer, List<Group>> byStem = new LinkedHashMap<>();
        List<List<Group>> sorted = new ArrayList<>();
        for (Group g : groups) {
            if (g.stem() > 0) {
                byStem.computeIfAbsent(g.stemKey(), k -> {
                    List<Group> unit = new ArrayList<>();
                    sorted.add(unit);
                    return unit;
                }).add(g);
            } else {
                sorted.add(new ArrayList<>(List.of(g)));
            }
        }
        // a batch's width is its longest row past the stems: order by what runs after the stem
        Comparator<Group> longestOwn = Comparator.comparingInt((Group g) -> g.stem() - g.prefix().length);
        for (List<Group> unit : sorted) {
            unit.sort(longestOwn);
        }
        sorted.sort(Comparator.comparing(List::getFirst, longestOwn));
        return sorted.stream().flatMap(List::stream).toList();
    }

    private void scoreBatch(NDManager runManager, List<Group> groups, List<ContinuationRequest> requests,
            int[][] tails, LogLikelihood[] results) {
        computeStems(runManager, groups);
        if (groups.stream().allMatch(g -> g.members().size() == 1)) {
            scoreWhole(groups, requests, tails, results);
            return;
        }
        int rows = groups.size();
        int stemWidth = groups.stream().mapToInt(Group::stem).max().orElseThrow();
        List<int[]> own = groups.stream()
                .map(g -> Arrays.copyOfRange(g.prefix(), g.stem(), g.prefix().length)).toList();
        int width = own.stream().mapToInt(o -> o.length).max().orElseThrow();
        Batch batch = Batch.leftPadded(own, width, lm.embeddingVocabSize());
        int[] gapStart = new int[rows];
        int[] gapEnd = new int[rows];
        for (int g = 0; g < rows; g++) {
            gapStart[g] = groups.get(g).stem();
            gapEnd[g] = stemWidth + batch.padLeft()[g];
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
        int columns = stemWidth + width;
        float[] firstPicked;
        long[] firstArgMax;
        float[] tailPicked = null;
        long[] tailArgMax = null;
        try (NDManager request = lm.newRequestManager()) {
            NDArray[] scales = lm.scales(request);
            KvCache[] caches = null;
            if (stemWidth > 0) {
                caches = stemCaches(request, groups, stemWidth, columns + span);
            } else if (span > 0) {
                caches = lm.caches(request, rows, columns + span);
            }
            try (ForwardPass pass = ForwardPass.withGaps(request, gapStart, gapEnd, stemWidth, width)) {
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

    /**
     * A batch of groups of one request each (a {@code loglikelihood} task's documents): nothing to share past the
     * prefix, so each row runs its prefix and tail in one pass, with caches only for the stems it reads (none when
     * no row has a stem), and is scored at its last columns.
     */
    private void scoreWhole(List<Group> groups, List<ContinuationRequest> requests, int[][] tails,
            LogLikelihood[] results) {
        int rows = groups.size();
        int stemWidth = groups.stream().mapToInt(Group::stem).max().orElseThrow();
        List<int[]> own = new ArrayList<>(rows);
        int scored = 1;
        for (Group g : groups) {
            int[] tail = tails[g.members().getFirst()];
            int[] input = Arrays.copyOfRange(g.prefix(), g.stem(), g.prefix().length + tail.length);
            System.arraycopy(tail, 0, input, g.prefix().length - g.stem(), tail.length);
            own.add(input);
            scored = Math.max(scored, tail.length + 1);
        }
        int width = own.stream().mapToInt(o -> o.length).max().orElseThrow();
        Batch batch = Batch.leftPadded(own, width, lm.embeddingVocabSize());
        int[] gapStart = new int[rows];
        int[] gapEnd = new int[rows];
        // row r's continuation token j is predicted at column width - length + j of the scored block's last columns
        long[] targets = new long[rows * scored];
        for (int r = 0; r < rows; r++) {
            gapStart[r] = groups.get(r).stem();
            gapEnd[r] = stemWidth + batch.padLeft()[r];
            int[] continuation = requests.get(groups.get(r).members().getFirst()).continuation();
            for (int j = 0; j < continuation.length; j++) {
                targets[r * scored + scored - continuation.length + j] = continuation[j];
            }
        }
        float[] picked;
        long[] argMax;
        try (NDManager request = lm.newRequestManager()) {
            NDArray[] scales = lm.scales(request);
            KvCache[] caches = stemWidth > 0 ? stemCaches(request, groups, stemWidth, stemWidth + width) : null;
            try (ForwardPass pass = ForwardPass.withGaps(request, gapStart, gapEnd, stemWidth, width)) {
                NDArray hidden = lm.run(pass, pass.longs(batch.ids(), rows, width), caches, scales);
                NDArray logits = lm.head(Tensors.slice(hidden, 1, width - scored, width, pass.manager()));
                argMax = logits.argMax(-1).toLongArray();
                picked = logits.logSoftmax(-1).gather(pass.longs(targets, rows, scored, 1), 2).toFloatArray();
            }
        }
        for (int r = 0; r < rows; r++) {
            int[] continuation = requests.get(groups.get(r).members().getFirst()).continuation();
            double sum = 0;
            boolean greedy = true;
            for (int j = 0; j < continuation.length; j++) {
                int at = r * scored + scored - continuation.length + j;
                sum += picked[at];
                greedy &= argMax[at] == continuation[j];
            }
            results[groups.get(r).members().getFirst()] = new LogLikelihood(sum, greedy);
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
     * Runs the batch's stems that have not run yet, in one right-padded pass: row {@code r}'s columns after its own
     * stem are a gap no query attends to, and its caches keep the stem for every group that reads it.
     */
    private void computeStems(NDManager runManager, List<Group> groups) {
        List<int[]> fresh = new ArrayList<>();
        for (Group g : groups) {
            if (g.stem() > 0 && !stems.containsKey(g.stemKey())) {
                stems.put(g.stemKey(), null);
                fresh.add(Arrays.copyOf(g.prefix(), g.stem()));
            }
        }
        if (fresh.isEmpty()) {
            return;
        }
        int rows = fresh.size();
        int width = fresh.stream().mapToInt(f -> f.length).max().orElseThrow();
        long[] ids = new long[rows * width];
        int[] gapStart = new int[rows];
        int[] gapEnd = new int[rows];
        for (int r = 0; r < rows; r++) {
            int[] stem = fresh.get(r);
            for (int i = 0; i < stem.length; i++) {
                ids[r * width + i] = stem[i];
            }
            gapStart[r] = stem.length;
            gapEnd[r] = width;
        }
        NDManager manager = runManager.newSubManager();
        StemPass stemPass = new StemPass(manager, lm.caches(manager, rows, width));
        try (ForwardPass pass = ForwardPass.withGaps(manager, gapStart, gapEnd, 0, width)) {
            lm.run(pass, pass.longs(ids, rows, width), stemPass.caches, lm.scales(pass.manager()));
        }
        for (int r = 0; r < rows; r++) {
            IntBuffer key = IntBuffer.wrap(fresh.get(r));
            stems.put(key, new Stem(stemPass, r));
            stemPass.readers += readers.get(key);
        }
    }

    /**
     * The batch's caches: row {@code g} holds its group's stem, then zeros up to {@code stemWidth}. Each stem pass
     * whose last reader this batch is frees its caches.
     */
    private KvCache[] stemCaches(NDManager request, List<Group> groups, int stemWidth, int capacity) {
        int rows = groups.size();
        KvCache[] out = new KvCache[lm.depth()];
        long[] sourceRows = new long[rows];
        int[] columns = new int[rows];
        Stem[] read = new Stem[rows];
        for (int g = 0; g < rows; g++) {
            Group group = groups.get(g);
            if (group.stem() > 0) {
                read[g] = stems.get(group.stemKey());
                sourceRows[g] = read[g].row();
                columns[g] = group.stem();
            }
        }
        for (int t = 0; t < out.length; t++) {
            KvCache[] sources = new KvCache[rows];
            for (int g = 0; g < rows; g++) {
                sources[g] = read[g] == null ? null : read[g].pass().caches[t];
            }
            out[t] = KvCache.assemble(request, sources, sourceRows, new int[rows], columns, new int[rows], stemWidth,
                    capacity);
        }
        for (int g = 0; g < rows; g++) {
            StemPass done = read[g] == null ? null : read[g].pass();
            if (done != null && --done.readers == 0) {
                done.manager.close();
                stems.values().removeIf(stem -> stem != null && stem.pass() == done);
            }
        }
        return out;
    }
}
