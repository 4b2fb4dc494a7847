package dev.evomerge.search.evolve;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.evomerge.exec.CandidateRuns;
import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;

/**
 * Where one stage's wall time goes in this invocation: merging candidates, loading them into the engine (everything
 * else that prepares a candidate: the loaded weights, a data-flow path, the tokenizer), scoring them, and the
 * optimizer (asking and telling). Merging, loading and scoring run on the evaluation threads: their shares are their
 * thread time over the wall time times the number of threads, which are the plain shares of wall time with one
 * thread. What is left (history, checkpoints, threads waiting for the generation's last candidate) is "other".
 *
 * <p>Thread-safe.
 */
final class StageTimes implements CandidateRuns.Timing {

    private final int threads;
    private final long startNanos = System.nanoTime();
    private final long mergeAtStart;
    private final LongAdder prepare = new LongAdder();
    private final LongAdder score = new LongAdder();
    private final LongAdder optimizer = new LongAdder();

    /**
     * @param threads evaluation threads
     * @param mergeAtStart the candidate source's merge time so far ({@link CandidateSource#mergeNanos()})
     */
    StageTimes(int threads, long mergeAtStart) {
        this.threads = Math.max(1, threads);
        this.mergeAtStart = mergeAtStart;
    }

    @Override
    public void addPrepare(long nanos) {
        prepare.add(nanos);
    }

    @Override
    public void addScore(long nanos) {
        score.add(nanos);
    }

    void addOptimizer(long nanos) {
        optimizer.add(nanos);
    }

    /** The shares so far, given the source's merge time now. */
    Shares shares(long mergeNow) {
        double wall = Math.max(1, System.nanoTime() - startNanos);
        double threadWall = wall * threads;
        long merge = Math.max(0, Math.min(mergeNow - mergeAtStart, prepare.sum()));
        return new Shares(wall / 1e9, merge / threadWall, (prepare.sum() - merge) / threadWall,
                score.sum() / threadWall, optimizer.sum() / wall);
    }

    /**
     * Shares of a stage's wall time.
     *
     * @param wallSeconds the stage's wall time in this invocation
     */
    record Shares(double wallSeconds, double merge, double load, double score, double optimizer) {

        double other() {
            return Math.max(0, 1 - merge - load - score - optimizer);
        }

        /** For the progress line: {@code time: merge 4%, load 2%, scoring 92%, optimizer 0%}. */
        String line() {
            return String.format(Locale.ROOT, "time: merge %.0f%%, load %.0f%%, scoring %.0f%%, optimizer %.0f%%",
                    100 * merge, 100 * load, 100 * score, 100 * optimizer);
        }

        /** For summary.json. */
        ObjectNode toJson() {
            ObjectNode o = JsonNodeFactory.instance.objectNode();
            o.put("wall_seconds", Math.round(wallSeconds * 10) / 10.0);
            o.put("merge", round(merge));
            o.put("load", round(load));
            o.put("scoring", round(score));
            o.put("optimizer", round(optimizer));
            o.put("other", round(other()));
            return o;
        }

        private static double round(double share) {
            return Math.round(share * 1000) / 1000.0;
        }
    }
}
