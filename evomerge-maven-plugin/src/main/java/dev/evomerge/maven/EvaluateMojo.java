package dev.evomerge.maven;

import dev.evomerge.Evaluate;
import dev.evomerge.EvaluateRequest;
import dev.evomerge.MergeRequest;
import dev.evomerge.eval.harness.EvaluationResults;
import dev.evomerge.eval.harness.TaskResult;
import dev.evomerge.event.EventListener;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;

/**
 * Scores a model on lm-evaluation-harness style tasks with evomerge's forward pass, as {@code evomerge evaluate}
 * does, writes lm-evaluation-harness's {@code results.json}, and fails the build when a task scores below its
 * {@code minScores} entry: {@code mvn evomerge:evaluate}.
 *
 * @since 0.1.0
 */
@Mojo(name = "evaluate", defaultPhase = LifecyclePhase.VERIFY, threadSafe = true)
public class EvaluateMojo extends AbstractEvomergeMojo {

    /**
     * The model directory to score (by default the merge goal's output).
     *
     * @since 0.1.0
     */
    @Parameter(property = "evomerge.model", defaultValue = "${project.build.directory}/evomerge/model")
    File model;

    /**
     * The task files (lm-evaluation-harness task YAML).
     *
     * @since 0.1.0
     */
    @Parameter(required = true)
    List<File> tasks;

    /**
     * The least score each task must reach, by task name: the task's first metric where higher is better (such as
     * {@code acc}). A task scoring below it fails the build; tasks not listed are only reported.
     *
     * @since 0.1.0
     */
    @Parameter
    Map<String, String> minScores = new LinkedHashMap<>();

    /**
     * Where lm-evaluation-harness's results JSON is written.
     *
     * @since 0.1.0
     */
    @Parameter(property = "evomerge.evaluate.output",
            defaultValue = "${project.build.directory}/evomerge/results.json")
    File output;

    /**
     * At most this many documents per task; empty: all.
     *
     * @since 0.1.0
     */
    @Parameter(property = "evomerge.evaluate.limit")
    Integer limit;

    /**
     * Requests per forward pass.
     *
     * @since 0.1.0
     */
    @Parameter(property = "evomerge.evaluate.batchSize", defaultValue = "8")
    int batchSize;

    /**
     * PyTorch intra-op threads; 0 means one per processor.
     *
     * @since 0.1.0
     */
    @Parameter(property = "evomerge.threads", defaultValue = "0")
    int threads;

    /**
     * The project, whose base directory relative paths are resolved against.
     *
     * @since 0.1.0
     */
    @Parameter(defaultValue = "${project}", readonly = true, required = true)
    MavenProject project;

    @Override
    protected String goal() {
        return "evaluate";
    }

    @Override
    protected void run(EventListener events) throws MojoFailureException {
        sayOnceWithoutVectorModule();
        Map<String, Double> minimum = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : minScores.entrySet()) {
            try {
                minimum.put(e.getKey(), Double.parseDouble(e.getValue().strip()));
            } catch (NumberFormatException ex) {
                throw new MojoFailureException("evomerge:evaluate: minScores/" + e.getKey() + " must be a number,"
                        + " got '" + e.getValue() + "'");
            }
        }
        EvaluateRequest request;
        try {
            request = new EvaluateRequest(Optional.of(model.toPath()), Optional.empty(),
                    tasks.stream().map(File::toPath).toList(),
                    limit == null ? OptionalInt.empty() : OptionalInt.of(limit), batchSize,
                    Optional.of(output.toPath()), Optional.empty(),
                    threads > 0 ? threads : MergeRequest.defaultThreads(), 0, project.getBasedir().toPath(),
                    System.getenv());
        } catch (IllegalArgumentException e) {
            throw new MojoFailureException("evomerge:evaluate: " + e.getMessage());
        }
        EvaluationResults results = Evaluate.standard().run(request, events);
        List<String> failures = new ArrayList<>();
        for (Map.Entry<String, Double> e : minimum.entrySet()) {
            TaskResult task = results.task(e.getKey()).orElseThrow(() -> new MojoFailureException(
                    "evomerge:evaluate: minScores names the task '" + e.getKey() + "', which no task file defines"
                            + " (tasks: " + results.tasks().stream().map(TaskResult::task).toList() + ")"));
            Map.Entry<String, Double> metric = primary(task).orElseThrow(() -> new MojoFailureException(
                    "evomerge:evaluate: the task '" + e.getKey() + "' has no metric where higher is better to hold"
                            + " against minScores"));
            String line = String.format(Locale.ROOT, "%s %s = %.4f (minScore %s)", task.task(), metric.getKey(),
                    metric.getValue(), e.getValue());
            if (!(metric.getValue() >= e.getValue())) {
                failures.add(line);
            } else {
                events.lifecycle(line);
            }
        }
        Path json = output.toPath();
        events.lifecycle("Wrote " + json);
        if (!failures.isEmpty()) {
            throw new MojoFailureException("evomerge:evaluate: below minScore: " + String.join("; ", failures)
                    + " (all scores in " + json + ")");
        }
    }

    /** The task's first metric where higher is better. */
    static Optional<Map.Entry<String, Double>> primary(TaskResult task) {
        for (Map.Entry<String, Double> m : task.metrics().entrySet()) {
            String name = m.getKey().contains(",") ? m.getKey().substring(0, m.getKey().indexOf(',')) : m.getKey();
            if (Boolean.TRUE.equals(task.higherIsBetter().get(name))) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }
}
