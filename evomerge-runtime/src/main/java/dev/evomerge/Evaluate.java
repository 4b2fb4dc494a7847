package dev.evomerge;

import dev.evomerge.config.MergeConfigFile;
import dev.evomerge.diag.InputException;
import dev.evomerge.eval.Candidate;
import dev.evomerge.eval.harness.EvaluationOptions;
import dev.evomerge.eval.EvaluationOutcome;
import dev.evomerge.eval.harness.EvaluationResults;
import dev.evomerge.eval.merger.InMemoryMerger;
import dev.evomerge.eval.InProcessEvaluator;
import dev.evomerge.eval.harness.SampleLog;
import dev.evomerge.eval.harness.TaskRun;
import dev.evomerge.eval.lm.InProcessLanguageModel;
import dev.evomerge.eval.task.Task;
import dev.evomerge.event.EventListener;
import dev.evomerge.infer.InferenceEngine;
import dev.evomerge.merge.MergeExecutor;
import dev.evomerge.merge.MergeModels;
import dev.evomerge.model.Architectures;
import dev.evomerge.model.ModelResolver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The evaluate facade: scores a model directory, or a merge config merged in memory, on lm-evaluation-harness style
 * tasks with evomerge's forward pass, and writes lm-evaluation-harness's results JSON and an optional sample log.
 *
 * <p>An object the CLI and the Maven goals receive ({@link #standard()} unless a test hands them a fake).
 * The standard one is stateless and thread-safe.
 */
public interface Evaluate {

    /** Evaluates as the request says; a failed evaluation is a {@link dev.evomerge.diag.RunException}. */
    EvaluationResults run(EvaluateRequest request, EventListener events);

    /** The runtime's own evaluate: the implementation the CLI uses and the Maven goals receive by default. */
    static Evaluate standard() {
        return Evaluate::standardRun;
    }

    /** {@link #run} as the runtime does it. */
    private static EvaluationResults standardRun(EvaluateRequest request, EventListener events) {
        request.model().ifPresent(dir -> {
            if (!Files.isRegularFile(dir.resolve("config.json"))) {
                throw new InputException(dir, "is not a model directory (it has no config.json)",
                        "give a Hugging Face model directory with config.json, safetensors weights and a tokenizer");
            }
        });
        List<TaskRun> runs = new ArrayList<>();
        for (Path file : request.tasks()) {
            TaskRun run = TaskRun.of(Task.load(file, events));
            runs.add(request.limit().isPresent() ? run.withLimit(request.limit().getAsInt()) : run);
        }
        MergeConfigFile merge = request.config().map(c -> MergeConfigFile.read(c, events)).orElse(null);
        try (SampleLog samples = request.samples().map(SampleLog::jsonl).orElse(SampleLog.NONE);
                InferenceEngine engine = InferenceEngine.cpu(request.threads())) {
            InProcessEvaluator evaluator = new InProcessEvaluator(engine, runs, request.batchSize(),
                    EvaluationOptions.defaults(events).withSamples(samples));
            EvaluationOutcome outcome;
            if (merge == null) {
                Path dir = request.model().orElseThrow();
                events.lifecycle("Evaluating " + dir + " on " + runs.size() + " task(s)");
                outcome = evaluator.evaluate(new Candidate.Directory(dir.toString(), dir));
            } else {
                events.lifecycle("Merging " + merge.file() + " in memory and evaluating it on " + runs.size()
                        + " task(s)");
                ModelResolver resolver = new ModelResolver(request.baseDirectory(), request.environment(), events)
                .downloading();
                try (MergeModels models = new MergeModels(resolver, Architectures.builtIn());
                        InMemoryMerger merger = new InMemoryMerger(models, engine, new MergeExecutor.Options(
                                request.seed(), request.threads(), MergeRequest.defaultMemoryBudget()),
                                request.batchSize(), 0, events);
                        InProcessLanguageModel lm = merger.open(merge.file().toString(), merge.config())) {
                    outcome = evaluator.evaluate(new Candidate.InMemory(lm.name(), lm));
                }
            }
            if (outcome instanceof EvaluationOutcome.Failed failed) {
                throw failed.toException();
            }
            EvaluationResults results = ((EvaluationOutcome.Scored) outcome).results().orElseThrow();
            request.output().ifPresent(results::write);
            return results;
        }
    }
}
