package dev.evomerge.search.evolve;

import dev.evomerge.eval.Evaluator;
import dev.evomerge.eval.fitness.Objective;
import dev.evomerge.eval.harness.TaskRun;
import dev.evomerge.event.EventListener;
import java.nio.file.Path;
import java.util.List;

/**
 * Makes the evaluators of {@code evaluation.mode: slurm}, which live in the layer above the search ({@code exec}):
 * the facade that starts a run hands them in.
 */
@FunctionalInterface
public interface RemoteEvaluators {

    /**
     * An evaluator for one set of task runs (a generation's search subset, the validation split, ...).
     *
     * @param config the run's config (its {@code evaluation:} section says where and how)
     * @param runs the tasks, splits and documents to score
     * @param required the metrics the results must hold
     * @param workDirectory the run's work directory, which the evaluator shares with the nodes
     * @param events where its messages go
     */
    Evaluator create(EvolveConfig config, List<TaskRun> runs, List<Objective> required, Path workDirectory,
            EventListener events);
}
