package dev.evomerge.search.evolve;

import com.fasterxml.jackson.databind.JsonNode;
import dev.evomerge.diag.RunException;
import dev.evomerge.exec.CandidateRuns;
import dev.evomerge.report.HistoryRecord;
import dev.evomerge.search.evolve.StageSearch.Finalist;
import dev.evomerge.search.evolve.StageSearch.Outcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The choice of a stage's result on the validation split: with {@code search.subset} and one objective, among
 * snapshots validated per generation (the stage's start point, then each generation's best candidate and CMA-ES'
 * mean, as {@link SnapshotValidation} scored them); otherwise among the search's best distinct recipes (one
 * objective) or its non-dominated recipes (several).
 */
final class StageChoice {

    /** How many of the best distinct search recipes are scored on the validation split (one objective). */
    static final int VALIDATION_CANDIDATES = 3;

    /** {@link Outcome#selection()} with {@code search.subset}, one objective. */
    static final String PER_GENERATION = "per-generation validation: the start point and each generation's best"
            + " candidate (and, for CMA-ES, its mean) scored on the whole validation split; the highest validation"
            + " fitness wins, the earliest snapshot on ties";

    /** {@link Outcome#selection()} with {@code search.subset}, several objectives. */
    static final String PER_GENERATION_FRONT = "per-generation validation: each generation's non-dominated"
            + " candidates scored on the whole validation split; the Pareto set is the snapshots that no other"
            + " dominates on their validation objectives, and best/ the one of them with the highest validation"
            + " fitness";

    /** {@link Outcome#selection()} otherwise. */
    static final String TOP_SEARCH = "the best distinct recipes by search fitness (every candidate scored on the"
            + " same search documents) scored on the whole validation split; the highest validation fitness wins";

    private final StageValidation split;
    private final StageSearch.Context context;
    private final Stage stage;
    private final Finalists finalists;

    StageChoice(StageValidation split) {
        this.split = split;
        this.context = split.context();
        this.stage = split.stage();
        this.finalists = new Finalists(split.directions());
    }

    /**
     * Chooses the stage's result on the validation split: the best of the snapshots validated per generation when
     * there are any (the earliest of the best on ties: the start point before the generations' snapshots);
     * otherwise, one objective, the best of the {@value #VALIDATION_CANDIDATES} best distinct recipes of the search;
     * several objectives, the non-dominated recipes of the search, each also kept as a finalist. Ties go to the
     * better search score.
     */
    Outcome choose(long evaluations, List<JsonNode> validated, CandidateRuns.Timing timing) {
        if (!validated.isEmpty()) {
            List<Finalist> finalists = new ArrayList<>();
            for (JsonNode v : validated) {
                finalists.add(SnapshotValidation.finalist(v));
            }
            if (split.severalObjectives()) {
                return chooseFront(finalists, evaluations);
            }
            Finalist chosen = highest(finalists);
            context.events().lifecycle(String.format(Locale.ROOT,
                    "%s result: recipe %s (generation %d's %s), validation fitness %.4f, the best of %d snapshots"
                            + " validated per generation", stage.label(), chosen.search().recipe(),
                    chosen.search().generation(), chosen.snapshot(), chosen.validationFitness(), finalists.size()));
            return new Outcome(chosen, finalists, finalists, evaluations, PER_GENERATION);
        }
        List<HistoryRecord> all = context.history().records(stage);
        List<HistoryRecord> evaluated = all.stream().filter(r -> !r.failed() && Double.isFinite(r.fitness()))
                .toList();
        if (evaluated.isEmpty()) {
            Map.Entry<String, Long> shared = StageProgress.sharedError(all);
            throw new RunException(all.isEmpty() ? "no candidate of the " + stage.id() + " search was evaluated"
                    : "every candidate of the " + stage.id() + " search failed, " + shared.getValue() + " of "
                            + all.size() + " with: " + shared.getKey(),
                    "see history.jsonl in the work directory, fix the cause, and run again");
        }
        List<HistoryRecord> candidates = split.severalObjectives() ? finalists.nonDominated(evaluated)
                : Finalists.best(evaluated, VALIDATION_CANDIDATES);
        List<CandidateRuns.Job> jobs = new ArrayList<>();
        for (HistoryRecord r : candidates) {
            jobs.add(split.job(stage.id() + "-validation-g" + r.generation() + "-c" + r.index(), r.genome()));
        }
        List<CandidateRuns.Result> results = context.runs().inTurn(stage.id() + "-validation", jobs,
                split.evaluator(), timing);
        List<Finalist> finalists = new ArrayList<>();
        for (int k = 0; k < candidates.size(); k++) {
            HistoryRecord r = candidates.get(k);
            Scoring.Attempt o = split.scoring().attempt(results.get(k));
            if (o.scores().isPresent()) {
                finalists.add(new Finalist(r, o.scores().get(), context.tasks().fitness().of(o.scores().get())));
            } else {
                context.events().warn(stage.id() + " candidate " + r.recipe() + " failed on the validation split: "
                        + o.error().orElseThrow());
            }
        }
        if (finalists.isEmpty()) {
            throw new RunException("every finalist of the " + stage.id() + " search failed on the validation split",
                    "see the warnings above, fix the cause, and run again");
        }
        Finalist chosen = highest(finalists);
        context.events().lifecycle(String.format(Locale.ROOT,
                "%s result: recipe %s, search fitness %.4f, validation fitness %.4f (of %d finalists)", stage.label(),
                chosen.search().recipe(), chosen.search().fitness(), chosen.validationFitness(), finalists.size()));
        return new Outcome(chosen, finalists, finalists, evaluations, TOP_SEARCH);
    }

    /**
     * The Pareto set of snapshots validated per generation: those no other dominates on their validation objectives
     * (the objectives the search was told, computed from the validation scores), in the order they were validated.
     */
    private Outcome chooseFront(List<Finalist> validated, long evaluations) {
        List<double[]> objectives = validated.stream()
                .map(f -> split.scoring().objectives(f.validation(), f.search().genome())).toList();
        List<Finalist> front = new ArrayList<>();
        for (int i = 0; i < validated.size(); i++) {
            boolean dominated = false;
            for (double[] other : objectives) {
                if (finalists.dominates(other, objectives.get(i))) {
                    dominated = true;
                    break;
                }
            }
            if (!dominated) {
                front.add(validated.get(i));
            }
        }
        Finalist chosen = highest(front);
        context.events().lifecycle(String.format(Locale.ROOT, "%s result: %d recipes on the Pareto front of %d"
                + " snapshots validated per generation; recipe %s (generation %d) has the highest validation fitness,"
                + " %.4f", stage.label(), front.size(), validated.size(), chosen.search().recipe(),
                chosen.search().generation(), chosen.validationFitness()));
        return new Outcome(chosen, front, validated, evaluations, PER_GENERATION_FRONT);
    }

    /** The first finalist of the highest validation fitness. */
    private static Finalist highest(List<Finalist> finalists) {
        Finalist chosen = finalists.getFirst();
        for (Finalist f : finalists) {
            if (f.validationFitness() > chosen.validationFitness()) {
                chosen = f;
            }
        }
        return chosen;
    }
}
