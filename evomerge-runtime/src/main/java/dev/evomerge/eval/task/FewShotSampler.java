package dev.evomerge.eval.task;

import dev.evomerge.diag.ConfigException;
import java.util.ArrayList;
import java.util.List;

/**
 * Picks few-shot examples the way lm-evaluation-harness's {@code ContextSampler} does with its default seed: one
 * {@code random.Random(seed)} stream per task (seed 1234, lm-evaluation-harness's {@code fewshot_random_seed}), one
 * {@code sample(pool, k)} per evaluated document. When the evaluated document may be in the pool, the draw is
 * {@code sample(pool, k + 1)} with every copy of the document removed and the first {@code k} kept.
 *
 * <p>The document at position i of its split gets the i-th draw of the stream. For a run over the first documents
 * (all of them, or a {@code limit}) that is exactly lm-evaluation-harness's choice; for a subset of documents it
 * keeps each document's examples the same whichever subset it is in (lm-evaluation-harness's {@code --samples}
 * instead gives the j-th selected document the j-th draw). {@code first_n} takes the first k of the pool instead.
 *
 * <p>Thread-safe (draws are computed once, in order, under the instance's lock).
 */
public final class FewShotSampler {

    /** lm-evaluation-harness's default {@code fewshot_random_seed}. */
    public static final long DEFAULT_SEED = 1234;

    private final List<Doc> pool;
    private final int shots;
    private final FewShotSampling sampling;
    private final boolean excludeEvaluated;
    private final PythonRandom random;
    private final List<int[]> draws = new ArrayList<>();
    private final TaskConfig config;

    /**
     * @param config the task (for messages)
     * @param pool the documents examples come from
     * @param shots examples per document
     * @param excludeEvaluated whether the evaluated document may be in the pool and must be left out
     * @param seed the stream's seed
     */
    FewShotSampler(TaskConfig config, List<Doc> pool, int shots, boolean excludeEvaluated, long seed) {
        this.config = config;
        this.pool = List.copyOf(pool);
        this.shots = shots;
        this.sampling = config.sampling();
        this.excludeEvaluated = excludeEvaluated;
        this.random = new PythonRandom(seed);
        int needed = shots + (excludeEvaluated && sampling == FewShotSampling.DEFAULT ? 1 : 0);
        if (shots > 0 && this.pool.size() < needed) {
            throw new ConfigException(config.location(), "num_fewshot " + shots + " needs " + needed
                    + " documents in the few-shot pool, which has " + this.pool.size()
                    + (needed > shots ? " (the evaluated document is left out of the draw)" : ""),
                    "lower num_fewshot or add documents to the few-shot split");
        }
    }

    /** The examples for a document, in prompt order. */
    public synchronized List<Doc> shotsFor(Doc doc) {
        if (shots == 0) {
            return List.of();
        }
        if (sampling == FewShotSampling.FIRST_N) {
            List<Doc> candidates = excludeEvaluated ? without(pool, doc) : pool;
            return List.copyOf(candidates.subList(0, Math.min(shots, candidates.size())));
        }
        while (draws.size() <= doc.index()) {
            draws.add(random.sample(pool.size(), excludeEvaluated ? shots + 1 : shots));
        }
        List<Doc> drawn = new ArrayList<>();
        for (int i : draws.get(doc.index())) {
            drawn.add(pool.get(i));
        }
        if (!excludeEvaluated) {
            return drawn;
        }
        List<Doc> kept = without(drawn, doc);
        if (kept.size() < shots) {
            throw new ConfigException(config.location(), "the few-shot pool holds " + (drawn.size() - kept.size())
                    + " copies of " + doc.describe() + ", so only " + kept.size() + " of " + shots
                    + " examples are left for it", "remove duplicate documents from the dataset");
        }
        return kept.subList(0, shots);
    }

    private static List<Doc> without(List<Doc> docs, Doc doc) {
        return docs.stream().filter(d -> !d.fields().equals(doc.fields())).toList();
    }
}
