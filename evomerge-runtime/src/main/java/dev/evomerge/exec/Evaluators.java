package dev.evomerge.exec;

import dev.evomerge.eval.CommandTemplate;
import dev.evomerge.eval.Evaluator;
import dev.evomerge.eval.ExternalEvaluator;
import dev.evomerge.eval.InProcessEvaluator;
import dev.evomerge.eval.fitness.Objective;
import dev.evomerge.eval.harness.EvaluationOptions;
import dev.evomerge.eval.harness.TaskRun;
import dev.evomerge.event.EventListener;
import dev.evomerge.infer.InferenceEngine;
import dev.evomerge.search.evolve.EvaluationSettings;
import dev.evomerge.search.evolve.EvolveConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

/**
 * The evaluators of a run, by {@code evaluation.mode}: in this process on the run's inference engine, an external
 * command per candidate, or Slurm job arrays. Each is made for one set of task runs (a generation's search subset,
 * the validation split, ...).
 */
public final class Evaluators {

    private Evaluators() {
    }

    /**
     * @param config the run's config (its {@code evaluation:} section says where and how)
     * @param objectives the metrics the results must hold
     * @param searchRuns the search split's task runs, which the other sets replace
     * @param workDirectory the run's work directory (Slurm shares it with the nodes)
     * @param scratch the run's scratch directory (a command's files go under {@code eval/})
     * @param engine the inference engine, for {@code in_process}
     * @param events where Slurm's messages go (its retries are warnings the user should see)
     * @param quiet where single evaluations' messages go
     */
    public static Function<List<TaskRun>, Evaluator> of(EvolveConfig config, List<Objective> objectives,
            List<TaskRun> searchRuns, Path workDirectory, Path scratch, InferenceEngine engine, EventListener events,
            EventListener quiet) {
        EvaluationSettings settings = config.evaluation();
        return switch (settings.mode()) {
            case SLURM -> runs -> new SlurmEvaluator(config, runs, objectives, workDirectory, events);
            case COMMAND -> new ExternalEvaluator(CommandTemplate.parse(settings.command().orElseThrow()),
                    settings.timeout(), scratch.resolve("eval"), objectives, searchRuns, quiet)::withRuns;
            case IN_PROCESS -> new InProcessEvaluator(engine, searchRuns, settings.batchSize(),
                    EvaluationOptions.defaults(quiet))::withRuns;
        };
    }
}
