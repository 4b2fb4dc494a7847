package dev.evomerge.search.evolve;

import dev.evomerge.diag.InputException;
import dev.evomerge.eval.CommandTemplate;
import dev.evomerge.eval.Evaluator;
import dev.evomerge.eval.harness.TaskRun;
import dev.evomerge.event.Event;
import dev.evomerge.event.EventListener;
import dev.evomerge.exec.CandidateRuns;
import dev.evomerge.exec.Evaluators;
import dev.evomerge.infer.InferenceEngine;
import dev.evomerge.merge.MergeExecutor;
import dev.evomerge.merge.MergeModels;
import dev.evomerge.model.Architectures;
import dev.evomerge.model.ModelResolver;
import dev.evomerge.report.History;
import dev.evomerge.tensor.io.ExitCleanup;
import dev.evomerge.tensor.io.OwnerFile;
import dev.evomerge.tensor.io.StagedDirectory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;

/**
 * An evolve run from its config to its work directory: the parameter-space stage, the data-flow stage, or both in
 * turn (hybrid), then the outputs — {@code best.yml}, {@code best/}, {@code pareto/} for several objectives,
 * {@code summary.json} — next to {@code history.jsonl} and {@code checkpoint/}.
 *
 * {@snippet :
 * EvolutionResult r = EvolutionRun.run(EvolveConfigReader.read(file, events), workDir, false, resolver, events);
 * }
 *
 * <p>A run killed at any moment and started again with {@code resume} continues from its last completed generation
 * and ends with what the uninterrupted run would have ended with.
 */
public final class EvolutionRun {

    /**
     * Runs (or resumes) an evolve run.
     *
     * @param workDirectory where the run keeps its state and outputs
     * @param resume whether to continue the run the work directory holds (a directory without one starts afresh)
     * @param resolver resolves model references (relative paths against the config's directory)
     */
    public static EvolutionResult run(EvolveConfig config, Path workDirectory, boolean resume, ModelResolver resolver,
            EventListener events) {
        return run(config, workDirectory, resume, OptionalLong.empty(), resolver, events);
    }

    /**
     * Runs (or resumes) an evolve run for at most {@code generations} more generations: when they are used up before
     * the search ends, the run pauses with its checkpoint written ({@link EvolutionResult#finished()} is false) and
     * a later resume goes on from there, as after a crash.
     */
    public static EvolutionResult run(EvolveConfig config, Path workDirectory, boolean resume,
            OptionalLong generations, ModelResolver resolver, EventListener events) {
        return run(config, workDirectory, resume, false, generations, resolver, events);
    }

    /**
     * Runs (or resumes) an evolve run; a resume whose inputs ({@link RunInputs}) differ from the run's is refused
     * unless {@code force}, which resumes anyway and records what changed.
     */
    public static EvolutionResult run(EvolveConfig config, Path workDirectory, boolean resume, boolean force,
            OptionalLong generations, ModelResolver resolver, EventListener events) {
        Path work = workDirectory.toAbsolutePath().normalize();
        boolean existed = Files.isDirectory(work);
        try {
            Files.createDirectories(work);
        } catch (IOException e) {
            throw new InputException(work, "cannot be created (" + e.getMessage() + ")", "choose a writable work"
                    + " directory");
        }
        // one run at a time in a work directory, for its whole life; what a killed run left is removed
        Path scratch = work.resolve("scratch");
        try (OwnerFile owner = OwnerFile.claimDirectory(work, events);
                ExitCleanup.Registration onExit = ExitCleanup.register(
                        () -> StagedDirectory.deleteRecursively(scratch))) {
            StagedDirectory.removeStale(work.resolve("best"));
            StagedDirectory.removeStale(work.resolve("ps").resolve("best"));
            StagedDirectory.deleteRecursively(scratch); // candidates a killed run was writing
            return runOwned(config, work, resume, force, generations, resolver, events);
        } finally {
            if (!existed) {
                removeIfEmpty(work);
            }
        }
    }

    private static void removeIfEmpty(Path dir) {
        try (var left = Files.list(dir)) {
            if (left.findAny().isEmpty()) {
                Files.delete(dir);
            }
        } catch (IOException e) {
            // best effort: the original outcome is what the user needs to see
        }
    }

    private static EvolutionResult runOwned(EvolveConfig config, Path work, boolean resume, boolean force,
            OptionalLong generations, ModelResolver resolver, EventListener events) {
        long start = System.nanoTime();
        String fingerprint = fingerprint(config);
        Optional<RunInputs> started = RunInputs.read(work);
        Optional<Checkpoint> checkpoint = prepare(config, work, resume, fingerprint,
                force || started.isPresent(), events);
        EvolveTasks tasks = EvolveTasks.load(config, events);
        RunInputs inputs = RunInputs.of(config, tasks, resolver);
        List<String> changes = checkpoint.isPresent() && started.isPresent() ? inputs.changesSince(started.get())
                : List.of();
        if (!changes.isEmpty() && !force) {
            throw new InputException(work, "holds a run that started from other inputs: " + changes.getFirst()
                    + (changes.size() > 1 ? " (and " + (changes.size() - 1) + " more)" : ""),
                    "resume with the inputs it started with, or pass --force (Maven: -Devomerge.force=true) to"
                            + " resume anyway");
        }
        for (String change : changes) {
            events.warn("resuming with --force although " + change);
        }
        inputs.write(work, changes);
        EvaluationSettings evaluation = config.evaluation();
        boolean inProcess = evaluation.mode() == EvaluationSettings.Mode.IN_PROCESS;
        int threads = evaluation.threads();
        int perCandidate = Math.max(1, Runtime.getRuntime().availableProcessors() / threads);
        MergeExecutor.Options mergeOptions = new MergeExecutor.Options(config.search().seed(), perCandidate,
                Math.max(64L << 20, Runtime.getRuntime().maxMemory() / (4L * threads)));
        Path scratch = work.resolve("scratch");
        EventListener quiet = quiet(events);
        try (MergeModels models = new MergeModels(resolver, Architectures.builtIn());
                InferenceEngine engine = inProcess ? InferenceEngine.cpu(perCandidate) : null;
                History history = History.open(work.resolve("history.jsonl"),
                        checkpoint.map(Checkpoint::historyBytes).orElse(0L));
                CandidateRuns runs = CandidateRuns.of(evaluation)) {
            warnSubsetUnused(config, events);
            Function<List<TaskRun>, Evaluator> evaluators = Evaluators.of(config, tasks.fitness().objectives(),
                    tasks.runs(EvolveTasks.Role.SEARCH), work, scratch, engine, events, quiet);
            StageSearch.Context context = new StageSearch.Context(config, tasks, history, runs, evaluators, work,
                    fingerprint, new StageSearch.GenerationAllowance(generations.orElse(-1)), events);
            return new RunStages(context, resolver, Optional.ofNullable(engine), models, mergeOptions, scratch, quiet)
                    .execute(checkpoint, start);
        } catch (RuntimeException | Error e) {
            if (checkpoint.isEmpty()) {
                removeIfNothingStarted(work);
            }
            throw e;
        } finally {
            StagedDirectory.deleteRecursively(work.resolve("scratch"));
        }
    }

    /** A new run that failed before its first checkpoint leaves nothing behind. */
    private static void removeIfNothingStarted(Path work) {
        try {
            Path history = work.resolve("history.jsonl");
            if (!Files.exists(Checkpoint.file(work)) && Files.exists(history) && Files.size(history) == 0) {
                Files.delete(history);
                Files.deleteIfExists(RunInputs.file(work));
                Files.deleteIfExists(RunInputs.file(work).getParent());
                try (var left = Files.list(work)) {
                    if (left.findAny().isEmpty()) {
                        Files.delete(work);
                    }
                }
            }
        } catch (IOException e) {
            // best effort: the original failure is what the user needs to see
        }
    }

    /** A command that scores every document of its tasks makes {@code search.subset} pointless: says so. */
    private static void warnSubsetUnused(EvolveConfig config, EventListener events) {
        EvaluationSettings e = config.evaluation();
        if (config.search().subset().isPresent() && e.command().isPresent()
                && !CommandTemplate.parse(e.command().get()).usesSamples()) {
            events.warn("search.subset is set, but the evaluation command does not use " + CommandTemplate.SAMPLES
                    + ": it scores every document of its tasks in each generation; pass the file of the documents"
                    + " to score, e.g. lm_eval ... --samples " + CommandTemplate.SAMPLES,
                    config.search().locationOf("subset"));
        }
    }

    /** Events of single evaluations and merges, kept to warnings (as debug lines) so a run's log stays readable. */
    private static EventListener quiet(EventListener events) {
        return event -> {
            if (event instanceof Event.Warning w) {
                events.debug(w.message());
            } else if (event instanceof Event.Debug) {
                events.on(event);
            }
        };
    }

    /**
     * @param inputsChecked whether the run's recorded inputs decide instead of the config's fingerprint (a run
     *     that recorded them, or a forced resume)
     */
    private static Optional<Checkpoint> prepare(EvolveConfig config, Path work, boolean resume, String fingerprint,
            boolean inputsChecked, EventListener events) {
        Optional<Checkpoint> checkpoint = Checkpoint.read(work);
        if (checkpoint.isPresent() && !resume) {
            throw new InputException(work, "holds an evolve run already (checkpoint/state.bin)",
                    "resume it with --resume (Maven: -Devomerge.resume=true), or use another work directory");
        }
        if (checkpoint.isPresent() && !inputsChecked && !checkpoint.get().fingerprint().equals(fingerprint)) {
            throw new InputException(config.file(), "differs from the config (or seed) the run in " + work
                    + " started with", "resume with the config and seed it started with, or use another work"
                            + " directory");
        }
        if (resume && checkpoint.isEmpty()) {
            events.lifecycle("No checkpoint in " + work + ": starting a new run");
        }
        try {
            Files.createDirectories(work);
        } catch (IOException e) {
            throw new InputException(work, "cannot be created (" + e.getMessage() + ")", "choose a writable work"
                    + " directory");
        }
        return checkpoint;
    }

    static String fingerprint(EvolveConfig config) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(Files.readAllBytes(config.file()));
            sha.update(("\nseed=" + config.search().seed()).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + config.file(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
