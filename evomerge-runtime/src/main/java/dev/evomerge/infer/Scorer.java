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
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

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
 * Groups whose prefixes start alike share stems: a task's description, the few-shot examples that several
 * documents drew, the fixed examples every document shows. Sorted, the prefixes form a trie; every start that two
 * neighbours share is a node of it, kept as a stem when at least {@link #MIN_STEM} tokens longer than the stem it
 * extends. Every stem runs once: from a copy of the cache of the stem it extends, only its own tokens, in one
 * right-padded pass with the other stems extending stems of that length. A group then runs past its deepest stem:
 * row {@code g}'s cache holds its stem's columns, then a gap up to the batch's longest stem and its own left
 * padding, then its own tokens. At the scored positions a float32 log-softmax gives the picked log-probabilities
 * and the arg-max. Numbers match a single pass over each input within float rounding.
 *
 * <p>Batches hold at most {@code batchSize} requests (a larger group is cut into pieces, which share their prefix
 * less its last token as a stem). Groups go in trie order through windows whose stem caches fit in
 * {@link #STEM_BYTES}; inside a window its stems run first, then its groups, the longest past its stem first, so
 * that rows of similar widths share a batch (a much shorter row starts the next batch, see {@link #MIN_FILL}), and
 * each stem's cache is freed after its last reader. One use per
 * {@link CausalLm#logLikelihoods} call; not thread-safe.
 */
final class Scorer {

    /** The shortest stem worth a pass of its own, and the fewest tokens a stem must add to the stem it extends. */
    private static final int MIN_STEM = 16;
    /** The stem caches (keys and values, in bytes) one window of groups may hold at once. */
    static final long STEM_BYTES = 512L << 20;
    /**
     * A batch takes a group only when its own tokens fill at least this share of the batch's width (the first, widest
     * group's): rows far shorter start a batch of their own rather than run as padding.
     */
    private static final double MIN_FILL = 0.8;

    private final CausalLm lm;
    private final long stemBytes;
    /** The stems computed so far and still read by a batch or a stem to come. */
    private final Map<IntBuffer, Stem> stems = new HashMap<>();

    Scorer(CausalLm lm) {
        this(lm, STEM_BYTES);
    }

    /** A scorer whose windows hold at most {@code stemBytes} of stem caches (tests use small budgets). */
    Scorer(CausalLm lm, long stemBytes) {
        this.lm = lm;
        this.stemBytes = stemBytes;
    }

    /** Requests with one prefix: the prefix, its stem (null: none), and the members' positions. */
    private record Group(int[] prefix, Node node, List<Integer> members) {

        int stem() {
            return node == null ? 0 : node.length;
        }

        IntBuffer stemKey() {
            return node.key();
        }
    }

    /**
     * A start that several prefixes share, a node of their trie: sorted, the prefixes holding it are the positions
     * {@code [lo, hi]}. A kept node is a stem; its parent is the longest kept node it extends.
     */
    private static final class Node {
        final int[] tokens;
        final int length;
        final int lo;
        final int hi;
        Node parent;
        boolean kept;
        /** groups and stems of the current window that read it */
        int readers;

        Node(int[] prefix, int length, int lo, int hi) {
            this.tokens = Arrays.copyOf(prefix, length);
            this.length = length;
            this.lo = lo;
            this.hi = hi;
        }

        IntBuffer key() {
            return IntBuffer.wrap(tokens);
        }

        int parentLength() {
            return parent == null ? 0 : parent.length;
        }
    }

    /** Stems computed in one pass: their caches (row per stem) and the reads still to come. */
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
        int n = prefixes.size();
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (x, y) -> Arrays.compare(prefixes.get(x), prefixes.get(y)));
        Node[] deepest = stemsInTrie(prefixes, order);
        List<Group> sorted = new ArrayList<>(n);
        for (int k = 0; k < n; k++) {
            sorted.add(new Group(prefixes.get(order[k]), deepest[k], pieces.get(order[k])));
        }
        LogLikelihood[] results = new LogLikelihood[requests.size()];
        try (NDManager runManager = lm.newRequestManager()) {
            for (List<Group> window : windows(sorted)) {
                scoreWindow(runManager, window, batchSize, requests, tails, results);
            }
        } finally {
            stems.clear();
        }
        return List.of(results);
    }

    /**
     * The stems of the prefixes in lexicographic {@code order}: every start that two neighbours share (cut to leave
     * each at least one token of its own) is a node of their trie; a node is kept as a stem when it is at least
     * {@link #MIN_STEM} tokens longer than the kept node it extends (or than nothing). Returns, per sorted position,
     * the deepest stem its prefix reads (null: none).
     */
    private static Node[] stemsInTrie(List<int[]> prefixes, Integer[] order) {
        int n = prefixes.size();
        // shared[k]: the common start of the k-th and (k+1)-th prefixes, leaving both a token of their own
        int[] shared = new int[Math.max(0, n - 1)];
        for (int k = 0; k + 1 < n; k++) {
            int[] a = prefixes.get(order[k]);
            int[] b = prefixes.get(order[k + 1]);
            int differ = Arrays.mismatch(a, b);
            shared[k] = Math.min(differ < 0 ? a.length : differ, Math.min(a.length, b.length) - 1);
        }
        Map<IntBuffer, Node> nodes = new HashMap<>();
        List<Node> byLength = new ArrayList<>();
        for (int k = 0; k + 1 < n; k++) {
            int length = shared[k];
            int[] prefix = prefixes.get(order[k]);
            if (length < MIN_STEM || nodes.containsKey(IntBuffer.wrap(prefix, 0, length))) {
                continue;
            }
            int lo = k;
            while (lo > 0 && shared[lo - 1] >= length) {
                lo--;
            }
            int hi = k + 1;
            while (hi < n - 1 && shared[hi] >= length) {
                hi++;
            }
            Node node = new Node(prefix, length, lo, hi);
            nodes.put(node.key(), node);
            byLength.add(node);
        }
        byLength.sort(Comparator.comparingInt(node -> node.length));
        // per sorted position, the nodes holding it, shortest first (the trie's path to it)
        List<List<Node>> paths = new ArrayList<>(n);
        for (int k = 0; k < n; k++) {
            paths.add(new ArrayList<>());
        }
        for (Node node : byLength) {
            List<Node> path = paths.get(node.lo);
            for (int i = path.size() - 1; i >= 0 && node.parent == null; i--) {
                if (path.get(i).kept) {
                    node.parent = path.get(i);
                }
            }
            node.kept = node.length - node.parentLength() >= MIN_STEM;
            if (!node.kept) {
                node.parent = null;
            }
            for (int k = node.lo; k <= node.hi; k++) {
                paths.get(k).add(node);
            }
        }
        Node[] deepest = new Node[n];
        for (int k = 0; k < n; k++) {
            for (Node node : paths.get(k)) {
                if (node.kept) {
                    deepest[k] = node;
                }
            }
        }
        return deepest;
    }

    /**
     * The groups, in trie order, cut into windows whose stems (each cache as long as its stem) fit in the stem
     * budget; a window holds at least one group. Stems that two windows read run once in each.
     */
    private List<List<Group>> windows(List<Group> sorted) {
        long perColumn = 0;
        for (int t = 0; t < lm.depth(); t++) {
            var attention = lm.step(t).attention();
            perColumn += 2L * attention.kvHeads() * attention.headDim() * Float.BYTES;
        }
        List<List<Group>> out = new ArrayList<>();
        List<Group> window = new ArrayList<>();
        Set<Node> held = new HashSet<>();
        long bytes = 0;
        for (Group g : sorted) {
            long more = 0;
            for (Node node = g.node(); node != null && !held.contains(node); node = node.parent) {
                more += node.length * perColumn;
            }
            if (!window.isEmpty() && bytes + more > stemBytes) {
                out.add(window);
                window = new ArrayList<>();
                held.clear();
                bytes = 0;
                more = 0;
                for (Node node = g.node(); node != null; node = node.parent) {
                    more += node.length * perColumn;
                }
            }
            window.add(g);
            bytes += more;
            for (Node node = g.node(); node != null; node = node.parent) {
                held.add(node);
            }
        }
        if (!window.isEmpty()) {
            out.add(window);
        }
        return out;
    }

    /**
     * Scores one window: runs its stems, then its groups in batches, the longest past its stem first (ties in trie
     * order), so that rows of similar widths share a batch. Each stem's cache goes once its last reader has run.
     */
    private void scoreWindow(NDManager runManager, List<Group> window, int batchSize,
            List<ContinuationRequest> requests, int[][] tails, LogLikelihood[] results) {
        Set<Node> needed = new LinkedHashSet<>();
        for (Group g : window) {
            for (Node node = g.node(); node != null; node = node.parent) {
                needed.add(node);
            }
        }
        needed.forEach(node -> node.readers = 0);
        for (Group g : window) {
            if (g.node() != null) {
                g.node().readers++;
            }
        }
        for (Node node : needed) {
            if (node.parent != null) {
                node.parent.readers++;
            }
        }
        computeStems(runManager, needed, batchSize);
        List<Group> ordered = new ArrayList<>(window);
        ordered.sort(Comparator.comparingInt((Group g) -> -own(g)));
        List<Group> batch = new ArrayList<>();
        int members = 0;
        for (Group group : ordered) {
            if (!batch.isEmpty() && (members + group.members().size() > batchSize
                    || own(group) < MIN_FILL * own(batch.getFirst()))) {
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
    }

    /** The tokens a group runs past its stem: its batch's width when it is the widest. */
    private static int own(Group group) {
        return group.prefix().length - group.stem();
    }

    private void scoreBatch(NDManager runManager, List<Group> groups, List<ContinuationRequest> requests,
            int[][] tails, LogLikelihood[] results) {
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
            lm.countScoringPass(own.stream().mapToLong(o -> o.length).sum(), (long) rows * width);
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
                lm.countScoringPass(members.stream().mapToLong(m -> tails[m].length).sum(), (long) count * span);
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
            lm.countScoringPass(own.stream().mapToLong(o -> o.length).sum(), (long) rows * width);
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
     * Runs the window's stems: those extending stems of one length together, shorter parents first, in right-padded
     * passes of at most {@code batchSize} rows (longest first, each pass's rows at least {@link #MIN_FILL} of its
     * widest). A stem extending another starts from a copy of its
     * cache and runs only its own tokens; every stem's cache then holds all its columns from the first.
     */
    private void computeStems(NDManager runManager, Set<Node> needed, int batchSize) {
        Map<Integer, List<Node>> byParent = new TreeMap<>();
        for (Node node : needed) {
            byParent.computeIfAbsent(node.parentLength(), k -> new ArrayList<>()).add(node);
        }
        byParent.forEach((past, nodes) -> {
            nodes.sort(Comparator.comparingInt((Node node) -> past - node.length));
            for (int from = 0, to = 1; from < nodes.size(); from = to++) {
                int width = nodes.get(from).length - past;
                while (to < nodes.size() && to - from < batchSize
                        && nodes.get(to).length - past >= MIN_FILL * width) {
                    to++;
                }
                computeStems(runManager, nodes.subList(from, to), past);
            }
        });
    }

    private void computeStems(NDManager runManager, List<Node> fresh, int past) {
        int rows = fresh.size();
        int width = fresh.stream().mapToInt(node -> node.length - past).max().orElseThrow();
        long[] ids = new long[rows * width];
        int[] gapStart = new int[rows];
        int[] gapEnd = new int[rows];
        long tokens = 0;
        for (int r = 0; r < rows; r++) {
            Node node = fresh.get(r);
            for (int i = past; i < node.length; i++) {
                ids[r * width + i - past] = node.tokens[i];
            }
            gapStart[r] = node.length;
            gapEnd[r] = past + width;
            tokens += node.length - past;
        }
        lm.countScoringPass(tokens, (long) rows * width);
        NDManager manager = runManager.newSubManager();
        KvCache[] caches;
        if (past == 0) {
            caches = lm.caches(manager, rows, width);
        } else {
            Stem[] parents = fresh.stream().map(node -> stems.get(node.parent.key())).toArray(Stem[]::new);
            caches = new KvCache[lm.depth()];
            long[] parentRows = Arrays.stream(parents).mapToLong(Stem::row).toArray();
            int[] columns = new int[rows];
            Arrays.fill(columns, past);
            for (int t = 0; t < caches.length; t++) {
                KvCache[] sources = new KvCache[rows];
                for (int r = 0; r < rows; r++) {
                    sources[r] = parents[r].pass().caches[t];
                }
                caches[t] = KvCache.assemble(manager, sources, parentRows, new int[rows], columns, new int[rows],
                        past, past + width);
            }
            for (Stem parent : parents) {
                release(parent);
            }
        }
        StemPass stemPass = new StemPass(manager, caches);
        try (ForwardPass pass = ForwardPass.withGaps(manager, gapStart, gapEnd, past, width)) {
            lm.run(pass, pass.longs(ids, rows, width), stemPass.caches, lm.scales(pass.manager()));
        }
        for (int r = 0; r < rows; r++) {
            Node node = fresh.get(r);
            stems.put(node.key(), new Stem(stemPass, r));
            stemPass.readers += node.readers;
        }
    }

    /** One read of {@code stem} done: its pass's caches go with the pass's last read. */
    private void release(Stem stem) {
        StemPass done = stem.pass();
        if (--done.readers == 0) {
            done.manager.close();
            stems.values().removeIf(s -> s.pass() == done);
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
        for (Stem stem : read) {
            if (stem != null) {
                release(stem);
            }
        }
        return out;
    }
}
