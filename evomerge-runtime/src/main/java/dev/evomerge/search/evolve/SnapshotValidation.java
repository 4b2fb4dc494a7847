package dev.evomerge.search.evolve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.evomerge.exec.CandidateRuns;
import dev.evomerge.report.History;
import dev.evomerge.report.HistoryRecord;
import dev.evomerge.search.evolve.StageSearch.Finalist;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Snapshots of a stage scored on the validation split as the search goes, with {@code search.subset} (where search
 * scores rest on a few documents): the stage's start point, beside its first generation's candidates, then after
 * each generation its best candidate and CMA-ES' mean (one objective) or its non-dominated candidates (several).
 * Each snapshot is kept in the checkpoint as JSON ({@link #finalist} reads one back); {@link StageChoice} chooses
 * among them when the stage ends.
 */
final class SnapshotValidation {

    /** The candidate index of a snapshot of CMA-ES' mean. */
    static final int MEAN_INDEX = -1;

    /** The candidate index of the snapshot of the stage's start point (generation 0, validated beside the first generation). */
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
     * Scores the stage's start point on the validation split, as the snapshot {@code start} of generation 0: queued
     * on the evaluation threads without waiting, so that the first generation's candidates run beside it.
     *
     * @return waits for the snapshot as stored in the checkpoint, or none when the start point failed (warned)
     */
    Supplier<List<JsonNode>> beginStart(double[] x0, CandidateRuns.Timing timing) {
        return begin(List.of(split.unevaluated(0, START_INDEX, x0)), 0, new HashSet<>(), timing);
    }

    /**
     * Scores the generation's best candidate and the optimizer's updated mean, when it has one, on the validation
     * split; for several objectives, the generation's non-dominated candidates. Each recipe once per stage.
     *
     * @return the new snapshots as stored in the checkpoint
     */
    List<JsonNode> validateGeneration(Optional<double[]> mean, List<HistoryRecord> records, long generation,
            List<JsonNode> validated, CandidateRuns.Timing timing) {
        Set<String> seen = new HashSet<>();
        for (JsonNode v : validated) {
            seen.add(v.get("search").get("recipe").asText());
        }
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
        return validate(snapshots, generation, seen, timing);
    }

    /**
     * Scores snapshots on the validation split, each recipe not in {@code seen} once, all at once on the
     * evaluation threads (as a generation's candidates, instead of one after another on one thread), and waits for
     * them.
     */
    private List<JsonNode> validate(List<HistoryRecord> snapshots, long generation, Set<String> seen,
            CandidateRuns.Timing timing) {
        return begin(snapshots, generation, seen, timing).get();
    }

    /** {@link #validate}, the supplier waiting for the results. */
    private Supplier<List<JsonNode>> begin(List<HistoryRecord> snapshots, long generation, Set<String> seen,
            CandidateRuns.Timing timing) {
        StageSearch.Context context = split.context();
        Stage stage = split.stage();
        List<HistoryRecord> unseen = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        List<CandidateRuns.Job> jobs = new ArrayList<>();
        for (HistoryRecord r : snapshots) {
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
        Supplier<List<CandidateRuns.Result>> pending = jobs.isEmpty() ? List::of : context.runs().begin(
                stage.id() + "-validation-g" + generation, jobs, split.source().candidateBytes(), split.evaluator(),
                timing);
        return () -> nodes(unseen, labels, pending.get(), generation);
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

    /** A snapshot as {@link #validate} stored it, as a finalist of the stage. */
    static Finalist finalist(JsonNode v) {
        JsonNode fitness = v.get("validation_fitness");
        return new Finalist(History.parse(v.get("search")), History.readScores(v.get("validation")),
                fitness.isNull() ? Double.NEGATIVE_INFINITY : fitness.asDouble());
    }
}
