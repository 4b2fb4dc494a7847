package dev.evomerge.search.evolve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.evomerge.exec.CandidateRuns;
import dev.evomerge.report.History;
import dev.evomerge.report.HistoryRecord;
import dev.evomerge.search.evolve.StageSearch.Finalist;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Snapshots of a stage scored on the validation split as the search goes, with {@code search.subset} (where search
 * scores rest on a few documents): the stage's start point, beside its first generation's candidates, then after
 * each generation its best candidate and CMA-ES' mean (one objective) or its non-dominated candidates (several),
 * behind the next generation's candidates ({@link InFlight}).
 * Each snapshot is kept in the checkpoint as JSON ({@link #finalist} reads one back); {@link StageChoice} chooses
 * among them when the stage ends.
 */
final class SnapshotValidation {

    /** The candidate index of a snapshot of CMA-ES' mean. */
    static final int MEAN_INDEX = -1;

    /** The candidate index of the stage's start point's snapshot (generation 0, beside the first generation). */
    static final int START_INDEX = -2;

    private final StageValidation split;
    private final Finalists finalists;
    private final boolean severalObjectives;

    SnapshotValidation(StageValidation split) {
        this.split = split;
        this.finalists = new Finalists(split.directions());
        this.severalObjectives = split.severalObjectives();
    }

    /**
     * Whether snapshots are validated per generation: with {@code search.subset}, where search scores rest on a
     * few documents (and, for CMA-ES, on other documents each generation).
     */
    boolean validatesPerGeneration() {
        return split.context().config().search().subset().isPresent();
    }

    /**
     * Whether the stage's start point is validated as a snapshot with its first generation: with per-generation
     * validation and one objective, so that a search none of whose snapshots beats the recipe it started from (for
     * the data-flow stage, model A itself) keeps that recipe.
     */
    boolean validatesStart() {
        return validatesPerGeneration() && !severalObjectives;
    }

    /**
     * The stage's start point as the snapshot {@code start} of generation 0, scored beside the first generation's
     * candidates ({@link InFlight#beginFirst}).
     */
    Batch start(double[] x0) {
        return new Batch(0, List.of(split.unevaluated(0, START_INDEX, x0)));
    }

    /**
     * Snapshots chosen after a generation, to be scored on the validation split: kept in the checkpoint until their
     * scores are in ({@link Checkpoint#pendingValidation}).
     */
    record Batch(long generation, List<HistoryRecord> snapshots) {

        Batch {
            snapshots = List.copyOf(snapshots);
        }

        JsonNode toJson() {
            ObjectNode o = JsonNodeFactory.instance.objectNode();
            o.put("generation", generation);
            ArrayNode records = o.putArray("snapshots");
            snapshots.forEach(r -> records.add(History.node(r)));
            return o;
        }

        /**
         * A batch as {@link #toJson} wrote it.
         *
         * @throws NullPointerException or {@link IllegalArgumentException} for one that lacks a field (which
         *     {@link Checkpoint#read} reports as a damaged checkpoint)
         */
        static Batch fromJson(JsonNode o) {
            List<HistoryRecord> snapshots = new ArrayList<>();
            o.get("snapshots").forEach(r -> snapshots.add(History.parse(r)));
            return new Batch(o.get("generation").asLong(), snapshots);
        }
    }

    /**
     * The generation's best candidate and the optimizer's updated mean, when it has one; for several objectives, the
     * generation's non-dominated candidates.
     */
    Batch chooseGeneration(Optional<double[]> mean, List<HistoryRecord> records, long generation) {
        List<HistoryRecord> snapshots = new ArrayList<>();
        List<HistoryRecord> scored = records.stream().filter(r -> !r.failed() && Double.isFinite(r.fitness()))
                .toList();
        if (severalObjectives) {
            snapshots.addAll(finalists.nonDominated(scored));
        } else {
            scored.stream().max(Comparator.comparingDouble(HistoryRecord::fitness).thenComparing(r -> -r.index()))
                    .ifPresent(snapshots::add);
        }
        mean.ifPresent(m -> snapshots.add(split.unevaluated(generation, MEAN_INDEX, m)));
        return new Batch(generation, snapshots);
    }

    /**
     * The stage's snapshot batches from the checkpoint on: {@code validated} (the caller's list, which it adds to),
     * and the batches whose scores are not in yet, as the checkpoint keeps them.
     */
    InFlight inFlight(List<JsonNode> validated, List<JsonNode> pending, CandidateRuns.Timing timing) {
        InFlight f = new InFlight(validated, timing);
        pending.forEach(b -> f.add(Batch.fromJson(b)));
        return f;
    }

    /**
     * Snapshot batches on their way to the validation split. A generation's batch is queued behind the next
     * generation's candidates, whose threads it fills as they come free at that generation's end, and collected once
     * the generation after that is queued. A batch is begun only when the one before it is in, so each recipe is
     * scored once whatever the timing. Until its scores are in, a batch is part of the checkpoint ({@link #pending}).
     * The stage's thread only.
     */
    final class InFlight {

        private final List<JsonNode> validated;
        private final CandidateRuns.Timing timing;
        private final Deque<Batch> chosen = new ArrayDeque<>();
        private Batch runningBatch;
        private Supplier<List<JsonNode>> running;

        private InFlight(List<JsonNode> validated, CandidateRuns.Timing timing) {
            this.validated = validated;
            this.timing = timing;
        }

        /** A batch to begin after those added before; one with no snapshot (a generation all failed) is dropped. */
        void add(Batch batch) {
            if (!batch.snapshots().isEmpty()) {
                chosen.add(batch);
            }
        }

        /**
         * Begins the oldest batch now, ahead of the generation queued next, when none is running: before the
         * invocation's first generation (the start point, or the older of the two batches a checkpoint keeps).
         */
        void beginFirst() {
            if (running == null && !chosen.isEmpty()) {
                begin(chosen.poll());
            }
        }

        /** Called once a generation's candidates are queued: collects the batch begun before, begins the next. */
        void advance() {
            collect();
            if (!chosen.isEmpty()) {
                begin(chosen.poll());
            }
        }

        /** Waits for the batch running, if any, and adds its snapshots. */
        void collect() {
            if (running != null) {
                validated.addAll(running.get());
                running = null;
                runningBatch = null;
            }
        }

        /** Scores every batch not scored yet, waiting for each: at the stage's end. */
        void drain() {
            collect();
            while (!chosen.isEmpty()) {
                begin(chosen.poll());
                collect();
            }
        }

        /** The batches whose scores are not in, as the checkpoint keeps them. */
        List<JsonNode> pending() {
            List<JsonNode> out = new ArrayList<>();
            if (runningBatch != null) {
                out.add(runningBatch.toJson());
            }
            chosen.forEach(b -> out.add(b.toJson()));
            return out;
        }

        private void begin(Batch batch) {
            runningBatch = batch;
            running = queue(batch, validated, timing);
        }
    }

    /**
     * Queues a batch's snapshots on the evaluation threads without waiting, behind what is queued already, each
     * recipe not among {@code validated} (once per stage).
     *
     * @return waits for the new snapshots as stored in the checkpoint (a failed one warned about and left out)
     */
    private Supplier<List<JsonNode>> queue(Batch batch, List<JsonNode> validated, CandidateRuns.Timing timing) {
        StageSearch.Context context = split.context();
        Stage stage = split.stage();
        long generation = batch.generation();
        Set<String> seen = new HashSet<>();
        for (JsonNode v : validated) {
            seen.add(v.get("search").get("recipe").asText());
        }
        List<HistoryRecord> unseen = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        List<CandidateRuns.Job> jobs = new ArrayList<>();
        for (HistoryRecord r : batch.snapshots()) {
            if (!seen.add(r.recipe())) {
                continue;
            }
            String snapshot = severalObjectives ? "front" : r.index() == MEAN_INDEX ? "mean"
                    : r.index() == START_INDEX ? "start" : "best";
            String name = stage.id() + "-validation-g" + generation + "-"
                    + (severalObjectives ? "c" + r.index() : snapshot);
            unseen.add(r);
            labels.add(snapshot);
            jobs.add(split.job(name, r.genome()));
        }
        // the start point's batch has a name of its own: generation 0's snapshots come after it
        String batchName = stage.id() + "-validation-" + (labels.equals(List.of("start")) ? "start" : "g" + generation);
        Supplier<List<CandidateRuns.Result>> results = jobs.isEmpty() ? List::of : context.runs().begin(batchName,
                jobs, split.source().candidateBytes(), split.evaluator(), timing);
        return () -> nodes(unseen, labels, results.get(), generation);
    }

    /** The validated snapshots as stored in the checkpoint; a failed one warned about and left out. */
    private List<JsonNode> nodes(List<HistoryRecord> unseen, List<String> labels, List<CandidateRuns.Result> results,
            long generation) {
        StageSearch.Context context = split.context();
        Stage stage = split.stage();
        List<JsonNode> out = new ArrayList<>();
        for (int i = 0; i < unseen.size(); i++) {
            HistoryRecord r = unseen.get(i);
            Scoring.Attempt o = split.scoring().attempt(results.get(i));
            if (o.scores().isEmpty()) {
                context.events().warn(stage.id() + " generation " + generation + " " + labels.get(i) + " (recipe "
                        + r.recipe() + ") failed on the validation split: " + o.error().orElseThrow());
                continue;
            }
            ObjectNode node = JsonNodeFactory.instance.objectNode();
            node.put("snapshot", labels.get(i));
            node.set("search", History.node(r));
            node.set("validation", History.scores(o.scores().get()));
            History.putNumber(node, "validation_fitness", context.tasks().fitness().of(o.scores().get()));
            out.add(node);
        }
        return out;
    }

    /** A snapshot as {@link #queue} stored it, as a finalist of the stage. */
    static Finalist finalist(JsonNode v) {
        JsonNode fitness = v.get("validation_fitness");
        return new Finalist(History.parse(v.get("search")), History.readScores(v.get("validation")),
                fitness.isNull() ? Double.NEGATIVE_INFINITY : fitness.asDouble());
    }
}
