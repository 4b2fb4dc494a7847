package dev.evomerge;

import dev.evomerge.config.MergeConfigFile;
import dev.evomerge.diag.InputException;
import dev.evomerge.event.EventListener;
import dev.evomerge.merge.SourceModel;
import dev.evomerge.merge.MergeExecutor;
import dev.evomerge.merge.MergeModels;
import dev.evomerge.merge.MergeOutput;
import dev.evomerge.merge.MergePlan;
import dev.evomerge.merge.MergePlanner;
import dev.evomerge.model.Architectures;
import dev.evomerge.model.ModelResolver;
import dev.evomerge.model.ResolvedModel;
import dev.evomerge.report.DigestCache;
import dev.evomerge.report.FileDigest;
import dev.evomerge.report.LockCheck;
import dev.evomerge.report.LockDigests;
import dev.evomerge.report.LockFile;
import dev.evomerge.report.PendingInputs;
import dev.evomerge.tensor.io.FileSpace;
import dev.evomerge.tensor.io.ModelWriter;
import dev.evomerge.tensor.io.OwnerFile;
import dev.evomerge.tensor.io.SafetensorsModel;
import dev.evomerge.tensor.io.StagedDirectory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Optional;

/**
 * Runs a mergekit YAML: the entry point the {@code evomerge merge} command and the {@code evomerge:merge} goal
 * call.
 *
 * {@snippet :
 * MergeResult r = Merge.standard().run(new MergeRequest(config, out, 0, MergeRequest.DEFAULT_SHARD_SIZE, 4,
 *         MergeRequest.defaultMemoryBudget(), false, baseDir, System.getenv()), listener);
 * }
 *
 * <p>An object the CLI and the Maven goals receive ({@link #standard()} unless a test hands them a fake).
 * The standard one is stateless and thread-safe.
 */
public interface Merge {

    /** Parses, plans and executes a merge, writing the output directory atomically. */
    MergeResult run(MergeRequest request, EventListener events);

    /** The runtime's own merge: the implementation the CLI uses and the Maven goals receive by default. */
    static Merge standard() {
        return Merge::standardRun;
    }

    /**
     * The runtime's merge without {@code evomerge.lock.json}: no check of a locked output's inputs, nothing hashed,
     * tensors merged largest first. The baseline the merge benchmark measures what the lock costs against; the
     * result's lock is null.
     */
    static Merge withoutLock() {
        return (request, events) -> run(request, events, false);
    }

    /** {@link #run} as the runtime does it. */
    private static MergeResult standardRun(MergeRequest request, EventListener events) {
        return run(request, events, true);
    }

    private static MergeResult run(MergeRequest request, EventListener events, boolean locked) {
        long start = System.nanoTime();
        FileSpace.startLookingUpNativeCalls();
        MergeConfigFile file = MergeConfigFile.read(request.configFile(), events);
        Path target = request.outputDirectory().toAbsolutePath().normalize();
        StagedDirectory.checkTarget(target, request.overwrite());
        StagedDirectory.checkKeeps(target, request.configFile(), "the merge config");
        StagedDirectory.checkKeeps(target, Path.of("").toAbsolutePath(), "the working directory");
        StagedDirectory.checkKeeps(target, request.baseDirectory(), "the base directory");
        DigestCache digests = DigestCache.forUser(request.environment());
        long hashing = locked ? checkLockedInputs(request.outputDirectory(), digests) : 0;
        ModelResolver resolver = new ModelResolver(request.baseDirectory(), request.environment(), events)
                .downloading();
        // one run at a time into an output; what a killed run left beside it is removed (or restored) first
        try (OwnerFile owner = OwnerFile.claimOutput(target, events);
                MergeModels models = new MergeModels(resolver, Architectures.builtIn())) {
            StagedDirectory.removeStale(target);
            StagedDirectory.checkTarget(target, request.overwrite());
            MergePlan plan = MergePlanner.plan(file.config(), models, events);
            for (SourceModel m : plan.models()) {
                StagedDirectory.checkKeeps(target, m.directory().directory(), "an input model");
            }
            events.lifecycle(String.format(Locale.ROOT, "Merging %d tensors from %d models with %s into %s",
                    plan.tensors().size(), plan.models().size(), plan.method().name(), request.outputDirectory()));
            // the lock's hashes are taken alongside the merge: the inputs' from the start, each shard's right
            // behind its writes
            PendingInputs inputs = locked
                    ? LockDigests.inputsInBackground(models(plan), digests, request.threads()) : null;
            Path lock = null;
            try (ModelWriter out = ModelWriter.create(request.outputDirectory(), plan.outputInfos(),
                    request.outShardSize(), request.overwrite())) {
                if (locked) {
                    out.digestingShards(request.threads());
                }
                try {
                    MergeExecutor.toWriter(plan, out,
                            new MergeExecutor.Options(request.seed(), request.threads(), request.memoryBudget()),
                            events);
                } catch (RuntimeException | InternalError e) {
                    throw inputChanged(plan, e);
                }
                MergeOutput.writeOtherFiles(plan, file, out.staging(), request.baseDirectory(), events);
                out.finish();
                if (locked) {
                    // the lock goes in before the directory moves into place: a kill leaves the old output or the
                    // new one with its lock, never new weights without one
                    long hashStart = System.nanoTime();
                    Path staged = out.staging().path();
                    lock("merge", file, request.seed(), request.outShardSize(), request.baseDirectory(),
                            inputs.await(), LockDigests.outputs(staged, request.threads(), out.shardSha256()))
                            .writeInto(staged);
                    lock = request.outputDirectory().resolve(LockFile.NAME);
                    hashing += System.nanoTime() - hashStart;
                }
                out.commit();
            } catch (RuntimeException | Error e) {
                if (inputs != null) {
                    inputs.cancel();
                }
                throw e;
            }
            if (!locked) {
                Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
                return new MergeResult(request.outputDirectory(), plan.tensors().size(), plan.outputBytes(), elapsed,
                        null, Duration.ZERO);
            }
            Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
            events.lifecycle(String.format(Locale.ROOT, "Wrote %s (%d tensors, %.1f MB) in %.1f s, %s in %.1f s",
                    request.outputDirectory(), plan.tensors().size(), plan.outputBytes() / 1e6,
                    elapsed.toMillis() / 1000.0, LockFile.NAME, hashing / 1e9));
            return new MergeResult(request.outputDirectory(), plan.tensors().size(), plan.outputBytes(), elapsed,
                    lock, Duration.ofNanos(hashing));
        }
    }

    /**
     * When the output directory holds a lock from an earlier merge, checks that the inputs it records are unchanged
     * before anything is replaced; returns the nanoseconds spent.
     */
    private static long checkLockedInputs(Path outputDirectory, DigestCache digests) {
        long start = System.nanoTime();
        Path file = outputDirectory.resolve(LockFile.NAME);
        if (Files.isRegularFile(file)) {
            LockCheck.checkInputs(LockFile.read(file), file, digests);
        }
        return System.nanoTime() - start;
    }

    /** The models a plan reads, in its order. */
    private static List<ResolvedModel> models(MergePlan plan) {
        return plan.models().stream().map(m -> m.directory().model()).toList();
    }

    /**
     * The lock of a model directory written from {@code recipe}: the inputs (each once, in the order given) and the
     * directory's files hashed, the latter on up to {@code threads} threads.
     */
    static LockFile lock(String kind, MergeConfigFile recipe, long seed, long outShardSize, Path baseDirectory,
            List<ResolvedModel> models, Path outputDirectory, int threads, DigestCache digests) {
        return lock(kind, recipe, seed, outShardSize, baseDirectory, LockDigests.inputs(models, digests, threads),
                LockDigests.outputs(outputDirectory, threads, Map.of()));
    }

    private static LockFile lock(String kind, MergeConfigFile recipe, long seed, long outShardSize,
            Path baseDirectory, List<LockFile.Input> inputs, List<FileDigest> outputs) {
        return new LockFile(LockFile.currentVersion(), kind, recipe.text(), recipe.file().toAbsolutePath(), seed,
                outShardSize, baseDirectory.toAbsolutePath(), inputs, outputs);
    }

    /**
     * An input file truncated or replaced while the merge reads its mapping faults in the JVM; that is the user's
     * file changing under the run, so it is reported as such, naming the file (the staging directory goes as the
     * writer closes). Any other failure is rethrown as it is.
     */
    private static RuntimeException inputChanged(MergePlan plan, Throwable e) {
        if (SafetensorsModel.isMappingFault(e)) {
            for (SourceModel m : plan.models()) {
                if (m.weights() instanceof SafetensorsModel weights) {
                    Optional<Path> changed = weights.changedShard();
                    if (changed.isPresent()) {
                        return new InputException(changed.get(), "changed size while the merge was reading it",
                                "leave the input models alone during a merge, then run it again");
                    }
                }
            }
            return new InputException("an input file changed while the merge was reading it",
                    "leave the input models alone during a merge, then run it again");
        }
        if (e instanceof RuntimeException r) {
            throw r;
        }
        throw (Error) e;
    }
}
