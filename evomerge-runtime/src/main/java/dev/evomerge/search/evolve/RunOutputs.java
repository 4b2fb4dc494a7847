package dev.evomerge.search.evolve;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.evomerge.config.MergeConfig;
import dev.evomerge.eval.Candidate;
import dev.evomerge.eval.EvaluationOutcome;
import dev.evomerge.eval.Evaluator;
import dev.evomerge.event.EventListener;
import dev.evomerge.exec.CandidateRuns;
import dev.evomerge.io.AtomicFile;
import dev.evomerge.merge.method.MergeMethod;
import dev.evomerge.merge.method.MergeMethods;
import dev.evomerge.model.ModelDirectory;
import dev.evomerge.report.History;
import dev.evomerge.report.RunFiles;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * What an evolve run ends with: {@code best.yml}, {@code best/}, {@code pareto/} for several objectives, and
 * {@code summary.json} with the chosen recipe, the source models and the untuned merge scored on every split
 * (written through {@link RunFiles}).
 */
final class RunOutputs {

    private final StageSearch.Context context;

    RunOutputs(StageSearch.Context context) {
        this.context = context;
    }

    /**
     * What the stages handed over: the last stage's candidate source and outcome, the source models, the untuned
     * merge's scores, the ablation rows, and each stage's time shares.
     */
    record Stages(CandidateSource source, StageSearch.Outcome outcome, Set<ModelDirectory> sources,
            List<ObjectNode> untuned, List<Map.Entry<String, ObjectNode>> ablations,
            Map<Stage, StageTimes.Shares> timeShares) {
    }

    /** Writes the outputs; {@code start} is when this invocation started ({@link System#nanoTime()}). */
    EvolutionResult finish(Stages stages, long start) {
        Path work = context.workDirectory();
        EvolveConfig config = context.config();
        EventListener events = context.events();
        CandidateSource source = stages.source();
        StageSearch.Outcome outcome = stages.outcome();
        double[] genome = outcome.chosen().search().genome();
        Path bestYml = work.resolve("best.yml");
        Path best = work.resolve("best");
        MergeConfig recipe = source.recipe(genome);
        boolean stochastic = MergeMethods.find(recipe.mergeMethod()).map(MergeMethod::stochastic).orElse(false);
        long maskSeed = config.search().seed();
        AtomicFile.write(bestYml, source.recipeText(genome));
        events.lifecycle("Writing the chosen recipe's model to " + best);
        source.writeModel(genome, best);
        if (context.tasks().multiObjective() || config.search().pathLengthObjective()) {
            writePareto(source, outcome);
        }
        ObjectNode summary = JsonNodeFactory.instance.objectNode();
        summary.put("config", config.file().toString());
        summary.put("stages", config.stages().name().toLowerCase(Locale.ROOT));
        config.genome().ifPresent(g -> summary.put("merge_method", g.mergeMethod()));
        summary.put("evaluations", context.history().records().size());
        ObjectNode sourceScores = summary.putObject("sources");
        for (ModelDirectory d : stages.sources()) {
            sourceScores.set(d.model().reference().toString(), scoreOnRoles(d.model().reference().toString(),
                    name -> directoryCandidate(name, d.directory())));
        }
        if (!stages.untuned().isEmpty()) {
            summary.set("untuned_merge", stages.untuned().getFirst());
        }
        if (stochastic) {
            summary.put("mask_seed", maskSeed);
            summary.put("mask_note", "the scores were measured with the DARE/DELLA masks of seed " + maskSeed
                    + ", as best/ holds them; evomerge merge best.yml OUT_DIR --seed " + maskSeed + " reproduces"
                    + " best/ byte for byte; mergekit draws other masks, so its merge of best.yml is another model");
        }
        ObjectNode chosen = scoreGenome("best", source, genome);
        chosen.put("recipe", outcome.chosen().search().recipe());
        History.putNumber(chosen, "search_fitness_on_subset", outcome.chosen().search().fitness());
        summary.set("best", chosen);
        summary.set("selection", selection(outcome));
        List<String> forced = RunInputs.forced(work);
        if (!forced.isEmpty()) {
            forced.forEach(summary.putArray("forced_resume")::add);
        }
        stages.ablations().forEach(a -> summary.set(a.getKey(), a.getValue()));
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        summary.put("wall_seconds", Math.round(elapsed.toMillis() / 100.0) / 10.0);
        ObjectNode shares = summary.putObject("time_shares");
        stages.timeShares().forEach((stage, t) -> shares.set(stage.id(), t.toJson()));
        RunFiles.writeSummary(work, summary);
        events.lifecycle(String.format(Locale.ROOT, "Best recipe: %s (validation fitness %.4f); %d evaluations in"
                + " %.1f s", bestYml, outcome.chosen().validationFitness(), context.history().records().size(),
                elapsed.toMillis() / 1000.0));
        return new EvolutionResult(work, bestYml, best, outcome.chosen().validation(),
                outcome.chosen().validationFitness(), context.history().records().size(), elapsed, true);
    }

    /** {@code summary.json}'s {@code selection}: how the stage's result was chosen, and among what. */
    private static ObjectNode selection(StageSearch.Outcome outcome) {
        ObjectNode selection = JsonNodeFactory.instance.objectNode();
        selection.put("rule", outcome.selection());
        selection.put("validated", outcome.validated().size());
        selection.put("chosen_generation", outcome.chosen().search().generation());
        boolean front = outcome.selection().equals(StageChoice.PER_GENERATION_FRONT);
        if (outcome.selection().equals(StageChoice.PER_GENERATION) || front) {
            if (!front) {
                selection.put("chosen_snapshot", outcome.chosen().snapshot());
            }
            ArrayNode snapshots = selection.putArray("snapshots");
            for (StageSearch.Finalist f : outcome.validated()) {
                ObjectNode o = snapshots.addObject();
                o.put("generation", f.search().generation());
                o.put("snapshot", front ? "front" : f.snapshot());
                o.put("recipe", f.search().recipe());
                History.putNumber(o, "search_fitness_on_subset", f.search().fitness());
                History.putNumber(o, "validation_fitness", f.validationFitness());
                if (front) {
                    o.put("pareto", outcome.finalists().contains(f));
                }
            }
        }
        History.putNumber(selection, "chosen_validation_fitness", outcome.chosen().validationFitness());
        return selection;
    }

    /** The comment heading a stochastic recipe: which masks its scores and {@code best/} have. */
    static String maskNote(long seed) {
        return "# evomerge: DARE/DELLA masks drawn with seed " + seed + ". The scores and best/ were measured with\n"
                + "# them: `evomerge merge best.yml OUT_DIR --seed " + seed + "` reproduces best/ byte for byte.\n"
                + "# mergekit draws its masks with another generator: its merge of this recipe is another model.\n";
    }

    private void writePareto(CandidateSource source, StageSearch.Outcome outcome) {
        List<RunFiles.ParetoMember> members = new ArrayList<>();
        for (StageSearch.Finalist f : outcome.finalists()) {
            ObjectNode o = JsonNodeFactory.instance.objectNode();
            o.put("hash", f.search().recipe());
            o.set("objectives", History.numbers(f.search().objectives()));
            o.set("search", History.scores(f.search().scores().orElseThrow()));
            o.set("validation", History.scores(f.validation()));
            History.putNumber(o, "validation_fitness", f.validationFitness());
            members.add(new RunFiles.ParetoMember(source.recipeText(f.search().genome()), o));
        }
        RunFiles.writePareto(context.workDirectory(), members);
    }

    /** A genome's scores and fitness on the search split (all documents), the validation and the test split. */
    ObjectNode scoreGenome(String name, CandidateSource source, double[] genome) {
        return scoreOnRoles(name, n -> source.prepare(n, genome));
    }

    /** A model directory's scores and fitness on the search split (all documents), the validation and test split. */
    ObjectNode scoreModel(String name, Path dir) {
        return scoreOnRoles(name, n -> directoryCandidate(n, dir));
    }

    /** A candidate's scores and fitness on the search split (all documents), the validation and the test split. */
    private ObjectNode scoreOnRoles(String name, Function<String, CandidateSource.Prepared> prepare) {
        EvolveTasks tasks = context.tasks();
        ObjectNode roles = JsonNodeFactory.instance.objectNode();
        for (EvolveTasks.Role role : EvolveTasks.Role.values()) {
            if (role == EvolveTasks.Role.TEST && !tasks.hasTest()) {
                continue;
            }
            Evaluator evaluator = context.evaluators().apply(tasks.runs(role));
            ObjectNode o = roles.putObject(role.name().toLowerCase(Locale.ROOT));
            String candidate = name + " (" + role.name().toLowerCase(Locale.ROOT) + ")";
            try (CandidateSource.Prepared p = prepare.apply(candidate)) {
                EvaluationOutcome outcome = evaluator.evaluate(p.candidate());
                if (outcome instanceof EvaluationOutcome.Scored s) {
                    o.set("scores", History.scores(s.scores()));
                    History.putNumber(o, "fitness", tasks.fitness().of(s.scores()));
                } else {
                    o.put("error", ((EvaluationOutcome.Failed) outcome).reason());
                }
            } catch (RuntimeException e) {
                o.put("error", CandidateRuns.describe(e));
            }
        }
        return roles;
    }

    private static CandidateSource.Prepared directoryCandidate(String name, Path dir) {
        return new CandidateSource.Prepared() {
            @Override
            public Candidate candidate() {
                return new Candidate.Directory(name, dir);
            }

            @Override
            public void close() {
            }
        };
    }
}
