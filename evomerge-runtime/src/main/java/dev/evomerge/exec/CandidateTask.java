package dev.evomerge.exec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.evomerge.config.MergeConfigFile;
import dev.evomerge.diag.EvomergeException;
import dev.evomerge.eval.Candidate;
import dev.evomerge.eval.CommandTemplate;
import dev.evomerge.eval.harness.EvaluationOptions;
import dev.evomerge.eval.EvaluationOutcome;
import dev.evomerge.eval.ExternalEvaluator;
import dev.evomerge.eval.merger.InMemoryMerger;
import dev.evomerge.eval.InProcessEvaluator;
import dev.evomerge.eval.fitness.Scores;
import dev.evomerge.eval.harness.TaskRun;
import dev.evomerge.eval.lm.InProcessLanguageModel;
import dev.evomerge.eval.task.Task;
import dev.evomerge.event.EventListener;
import dev.evomerge.infer.InferenceEngine;
import dev.evomerge.merge.MergeExecutor;
import dev.evomerge.merge.MergeModels;
import dev.evomerge.merge.MergeOutput;
import dev.evomerge.merge.MergePlan;
import dev.evomerge.merge.MergePlanner;
import dev.evomerge.model.Architectures;
import dev.evomerge.model.ModelResolver;
import dev.evomerge.tensor.io.ModelWriter;
import dev.evomerge.tensor.io.StagedDirectory;
import dev.evomerge.io.AtomicFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What one array task does on a node ({@code evomerge run-candidate DIR}): reads {@code DIR/candidate.json}, merges
 * the candidate's recipe in memory (or loads its model directory) and scores it with evomerge's forward pass on the
 * node's CPU; or, when the description has a command, merges the recipe into {@code DIR/model}, runs the command on
 * it ({@link ExternalEvaluator}) and removes the model. It then writes {@code DIR/result.json} atomically: the
 * scores, or why the candidate could not be scored. A failure of the candidate itself (a bad merge, NaN scores, a
 * command that failed) is such a result, final for the driver; a crash of the task leaves no result, and the driver
 * submits the task again.
 */
public final class CandidateTask {

    /** The result file in the candidate's folder. */
    public static final String RESULT = "result.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private CandidateTask() {
    }

    /**
     * Scores the candidate a folder describes and writes its result.
     *
     * @param threads the node's threads for the forward pass and the merge
     * @param environment the environment (Hugging Face cache and token for the recipe's models)
     */
    public static EvaluationOutcome run(Path dir, int threads, Map<String, String> environment,
            EventListener events) {
        long started = System.currentTimeMillis();
        Path folder = dir.toAbsolutePath().normalize();
        CandidateSpec spec = CandidateSpec.read(folder.resolve(CandidateSpec.FILE));
        long start = System.nanoTime();
        EvaluationOutcome outcome;
        try {
            outcome = evaluate(folder, spec, threads, environment, events);
        } catch (EvomergeException e) {
            outcome = new EvaluationOutcome.Failed(spec.name(), e.userMessage(), "",
                    Duration.ofNanos(System.nanoTime() - start));
        }
        writeResult(folder.resolve(RESULT), outcome, started);
        return outcome;
    }

    private static EvaluationOutcome evaluate(Path folder, CandidateSpec spec, int threads,
            Map<String, String> environment, EventListener events) {
        List<TaskRun> runs = runs(spec, events);
        ModelResolver resolver = new ModelResolver(spec.baseDirectory(), environment, events).downloading();
        MergeExecutor.Options options = new MergeExecutor.Options(spec.seed(), threads,
                Math.max(64L << 20, Runtime.getRuntime().maxMemory() / 2));
        if (spec.command().isPresent()) {
            ExternalEvaluator external = new ExternalEvaluator(CommandTemplate.parse(spec.command().get()),
                    spec.timeout(), folder.resolve("eval"), spec.required(), runs, events);
            if (spec.model().isPresent()) {
                return external.evaluate(new Candidate.Directory(spec.name(), spec.model().get()));
            }
            Path model = folder.resolve("model");
            try (MergeModels models = new MergeModels(resolver, Architectures.builtIn())) {
                Path recipe = folder.resolve(spec.recipe().orElseThrow());
                MergeConfigFile file = MergeConfigFile.read(recipe, events);
                MergePlan plan = MergePlanner.plan(file.config(), models, events);
                try (ModelWriter out = ModelWriter.create(model, plan.outputInfos(), 5_000_000_000L, true)) {
                    MergeExecutor.toWriter(plan, out, options, events);
                    MergeOutput.writeOtherFiles(plan, file, out.staging(), spec.baseDirectory(), events);
                    out.commit();
                }
                return external.evaluate(new Candidate.Directory(spec.name(), model));
            } finally {
                StagedDirectory.deleteRecursively(model);
            }
        }
        try (InferenceEngine engine = InferenceEngine.cpu(threads)) {
            InProcessEvaluator evaluator = new InProcessEvaluator(engine, runs, spec.batchSize(),
                    EvaluationOptions.defaults(events));
            if (spec.model().isPresent()) {
                return evaluator.evaluate(new Candidate.Directory(spec.name(), spec.model().get()));
            }
            MergeConfigFile file = MergeConfigFile.read(folder.resolve(spec.recipe().orElseThrow()), events);
            try (MergeModels models = new MergeModels(resolver, Architectures.builtIn());
                    InMemoryMerger merger = new InMemoryMerger(models, engine, options, spec.batchSize(), 0, events);
                    InProcessLanguageModel lm = merger.open(spec.name(), file.config())) {
                return evaluator.evaluate(new Candidate.InMemory(spec.name(), lm));
            }
        }
    }

    private static List<TaskRun> runs(CandidateSpec spec, EventListener events) {
        Map<Path, Task> loaded = new HashMap<>();
        List<TaskRun> runs = new ArrayList<>();
        for (CandidateSpec.Run r : spec.tasks()) {
            Task task = loaded.computeIfAbsent(r.file(), f -> Task.load(f, events));
            runs.add(new TaskRun(task, r.split(), r.docs(), r.limit()));
        }
        return runs;
    }

    /**
     * Writes a result through a temporary sibling and a rename, so a reader sees all of it or none; with the task's
     * start and end (milliseconds since the epoch), from which the driver's overhead is measured.
     */
    static void writeResult(Path file, EvaluationOutcome outcome, long started) {
        ObjectNode o = JSON.createObjectNode();
        o.put("candidate", outcome.candidate());
        o.put("seconds", outcome.duration().toMillis() / 1000.0);
        o.put("started_ms", started);
        o.put("ended_ms", System.currentTimeMillis());
        switch (outcome) {
            case EvaluationOutcome.Scored s -> {
                ObjectNode scores = o.putObject("scores");
                s.scores().values().forEach((task, metrics) -> {
                    ObjectNode t = scores.putObject(task);
                    metrics.forEach(t::put);
                });
            }
            case EvaluationOutcome.Failed f -> {
                o.put("error", f.reason());
                o.put("detail", f.detail());
            }
        }
        try {
            AtomicFile.write(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(o) + "\n");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Reads a result a task wrote, or empty when there is none (yet). */
    static Optional<EvaluationOutcome> readResult(Path file) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        JsonNode o;
        try {
            o = JSON.readTree(file.toFile());
        } catch (IOException e) {
            return Optional.empty();
        }
        String name = o.path("candidate").asText();
        Duration duration = Duration.ofMillis(Math.round(o.path("seconds").asDouble() * 1000));
        if (o.has("error")) {
            return Optional.of(new EvaluationOutcome.Failed(name, o.get("error").asText(),
                    o.path("detail").asText(""), duration));
        }
        Map<String, Map<String, Double>> values = new LinkedHashMap<>();
        o.path("scores").properties().forEach(t -> {
            Map<String, Double> metrics = new LinkedHashMap<>();
            t.getValue().properties().forEach(m -> metrics.put(m.getKey(), m.getValue().isNumber()
                    ? m.getValue().asDouble() : Double.NaN));
            values.put(t.getKey(), metrics);
        });
        return Optional.of(new EvaluationOutcome.Scored(name, new Scores(values), Optional.empty(), duration));
    }
}
