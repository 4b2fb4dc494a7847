package dev.evomerge.search.evolve;

import dev.evomerge.report.HistoryRecord;
import dev.evomerge.search.Optimizer;
import dev.evomerge.search.StopCondition;
import dev.evomerge.search.StopConditions;
import dev.evomerge.search.cmaes.SepCmaEs;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A stage's budget and what the stage tells about its progress: the line it starts with (what it runs with, and
 * where each default comes from), and a line per generation with the best and mean fitness and the time left.
 */
final class StageProgress {

    /** Generations a stage runs at least when {@code search.budget} is left out. */
    static final int DEFAULT_GENERATIONS = 100;

    private final SearchSettings settings;
    private final Stage stage;
    private final int dimension;
    private final int population;
    private final SearchSettings.Budget budget;

    /** @param population candidates of the optimizer's first asked generation */
    StageProgress(SearchSettings settings, Stage stage, int dimension, int population) {
        this.settings = settings;
        this.stage = stage;
        this.dimension = dimension;
        this.population = population;
        this.budget = budget(settings, population);
    }

    /**
     * The stage's budget: {@code search.budget}, or when it is left out {@value
     * SearchReader.DEFAULT_EVALUATIONS} evaluations or {@value #DEFAULT_GENERATIONS} generations of the
     * population, whichever is more (paper scale: 128 candidates for 100 generations).
     */
    private static SearchSettings.Budget budget(SearchSettings s, int population) {
        if (!s.budgetDefaulted()) {
            return s.budget();
        }
        return new SearchSettings.Budget(OptionalLong.of(Math.max(s.budget().evaluations().orElse(0),
                (long) DEFAULT_GENERATIONS * population)), OptionalLong.empty(), Optional.empty());
    }

    /** When the stage ends: its budget spent, or the optimizer done. */
    StopCondition stopCondition() {
        StopCondition stop = StopConditions.optimizerTerminated();
        if (budget.evaluations().isPresent()) {
            stop = StopConditions.evaluations(budget.evaluations().getAsLong()).or(stop);
        }
        if (budget.generations().isPresent()) {
            stop = StopConditions.generations(budget.generations().getAsLong()).or(stop);
        }
        if (budget.wallTime().isPresent()) {
            stop = StopConditions.wallTime(budget.wallTime().get()).or(stop);
        }
        return stop;
    }

    /** What the stage runs with, and where each default comes from. */
    String startLine(Optimizer optimizer) {
        String kind = optimizer.kind();
        if (Optimizers.isCmaEs(optimizer)) {
            kind += settings.cmaes().isPresent() ? " (search.cmaes)" : SepCmaEs.KIND.equals(optimizer.kind())
                    ? " (separable above " + SearchSettings.SEPARABLE_ABOVE + " genes; search.cmaes: full overrides)"
                    : " (full covariance up to " + SearchSettings.SEPARABLE_ABOVE + " genes)";
        }
        String pop = settings.population().isPresent() ? " (search.population)"
                : " (" + Optimizers.populationDefault(optimizer) + ")";
        List<String> limits = new ArrayList<>();
        budget.evaluations().ifPresent(e -> limits.add(e + " evaluations"));
        budget.generations().ifPresent(g -> limits.add(g + " generations"));
        budget.wallTime().ifPresent(t -> limits.add(t.toSeconds() + " s"));
        String budgetSource = settings.budgetDefaulted() ? " (the larger of " + SearchReader.DEFAULT_EVALUATIONS
                + " evaluations and " + DEFAULT_GENERATIONS + " generations; search.budget overrides)"
                : " (search.budget)";
        return String.format(Locale.ROOT, "%s search: %d genes, %s, population %d%s, budget %s%s", stage.label(),
                dimension, kind, population, pop, String.join(" or ", limits), budgetSource);
    }

    /**
     * The line after a generation.
     *
     * @param stageRecords every record of the stage so far, the generation's included
     * @param generation the generation's records
     */
    String generationLine(Optimizer optimizer, List<HistoryRecord> stageRecords, List<HistoryRecord> generation,
            long millis) {
        double best = Double.NEGATIVE_INFINITY;
        double sum = 0;
        int finite = 0;
        for (HistoryRecord r : stageRecords) {
            if (Double.isFinite(r.fitness())) {
                best = Math.max(best, r.fitness());
            }
        }
        for (HistoryRecord r : generation) {
            if (Double.isFinite(r.fitness())) {
                sum += r.fitness();
                finite++;
            }
        }
        long failed = generation.size() - finite;
        String bestText = Double.isFinite(best) ? String.format(Locale.ROOT, "best %.4f", best) : "none scored yet";
        if (finite == 0) {
            // no mean to show: say how many failed and the error they share, which is what the user must fix
            Map.Entry<String, Long> shared = sharedError(generation);
            return String.format(Locale.ROOT, "%s generation %d: %d evaluations, %s, all %d candidates failed (%d"
                    + " with: %s)%s", stage.label(), optimizer.generation(), optimizer.evaluations(), bestText,
                    failed, shared.getValue(), shared.getKey(), eta(optimizer, millis));
        }
        return String.format(Locale.ROOT, "%s generation %d: %d evaluations, %s, mean %.4f%s%s", stage.label(),
                optimizer.generation(), optimizer.evaluations(), bestText, sum / finite,
                failed == 0 ? "" : ", " + failed + " failed", eta(optimizer, millis));
    }

    /** The error most of these records failed with (the first such on a tie), and how many share it. */
    static Map.Entry<String, Long> sharedError(List<HistoryRecord> records) {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (HistoryRecord r : records) {
            r.error().ifPresent(e -> counts.merge(e.replaceAll("\\s+", " ").strip(), 1L, Long::sum));
        }
        Map.Entry<String, Long> most = Map.entry("no error recorded", 0L);
        for (Map.Entry<String, Long> e : counts.entrySet()) {
            if (e.getValue() > most.getValue()) {
                most = e;
            }
        }
        return most;
    }

    private String eta(Optimizer optimizer, long millis) {
        double perGeneration = millis / (double) Math.max(1, optimizer.generation());
        double remaining = Double.POSITIVE_INFINITY;
        if (budget.generations().isPresent()) {
            remaining = Math.min(remaining, (budget.generations().getAsLong() - optimizer.generation())
                    * perGeneration);
        }
        if (budget.evaluations().isPresent()) {
            double perEvaluation = millis / (double) Math.max(1, optimizer.evaluations());
            remaining = Math.min(remaining, (budget.evaluations().getAsLong() - optimizer.evaluations())
                    * perEvaluation);
        }
        if (budget.wallTime().isPresent()) {
            remaining = Math.min(remaining, budget.wallTime().get().toMillis() - millis);
        }
        if (!Double.isFinite(remaining)) {
            return "";
        }
        long seconds = Math.max(0, Math.round(remaining / 1000));
        return seconds >= 3600 ? String.format(Locale.ROOT, ", ETA %dh%02dm", seconds / 3600, seconds / 60 % 60)
                : String.format(Locale.ROOT, ", ETA %dm%02ds", seconds / 60, seconds % 60);
    }
}
