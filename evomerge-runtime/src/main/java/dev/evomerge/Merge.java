package dev.evomerge;

import dev.evomerge.config.MergeConfigFile;
import dev.evomerge.diag.InputException;
import dev.evomerge.event.EventListener;
import dev.evomerge.merge.LoadedModel;
import dev.evomerge.merge.MergeExecutor;
import dev.evomerge.merge.MergeModels;
import dev.evomerge.merge.MergeOutput;
import dev.evomerge.merge.MergePlan;
import dev.evomerge.merge.MergePlanner;
import dev.evomerge.model.Architectures;
import dev.evomerge.model.ModelResolver;
import dev.evomerge.tensor.io.FileSpace;
import dev.evomerge.tensor.io.ModelWriter;
import dev.evomerge.tensor.io.OwnerFile;
import dev.evomerge.tensor.io.SafetensorsModel;
import dev.evomerge.tensor.io.StagedDirectory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * Runs a mergekit YAML: the entry point the {@code evomerge merge} command and the {@code evomerge:merge} goal
 * call.
 *
 * {@snippet :
 * MergeResult r = Merge.run(new MergeRequest(config, out, 0, MergeRequest.DEFAULT_SHARD_SIZE, 4,
 *         MergeRequest.defaultMemoryBudget(), false, baseDir, System.getenv()), listener);
 * }
 *
 * <p>Stateless and thread-safe.
 */
public final class Merge {

    private Merge() {
    }

    /** Parses, plans and executes a merge, writing the output directory atomically. */
    public static MergeResult run(MergeRequest request, EventListener events) {
        long start = System.nanoTime();
        FileSpace.prepare();
        MergeConfigFile file = MergeConfigFile.read(request.configFile(), events);
        Path target = request.outputDirectory().toAbsolutePath().normalize();
        StagedDirectory.checkTarget(target, request.overwrite());
        StagedDirectory.checkKeeps(target, request.configFile(), "the merge config");
        StagedDirectory.checkKeeps(target, Path.of("").toAbsolutePath(), "the working directory");
        StagedDirectory.checkKeeps(target, request.baseDirectory(), "the base directory");
        ModelResolver resolver = new ModelResolver(request.baseDirectory(), request.environment());
        // one run at a time into an output; what a killed run left beside it is removed (or restored) first
        try (OwnerFile owner = OwnerFile.claimOutput(target, events);
                MergeModels models = new MergeModels(resolver, Architectures.builtIn())) {
            StagedDirectory.removeStale(target);
            StagedDirectory.checkTarget(target, request.overwrite());
            MergePlan plan = MergePlanner.plan(file.config(), models, events);
            for (LoadedModel m : plan.models()) {
                StagedDirectory.checkKeeps(target, m.directory().directory(), "an input model");
            }
            events.lifecycle(String.format(Locale.ROOT, "Merging %d tensors from %d models with %s into %s",
                    plan.tensors().size(), plan.models().size(), plan.method().name(), request.outputDirectory()));
            try (ModelWriter out = ModelWriter.create(request.outputDirectory(), plan.outputInfos(),
                    request.outShardSize(), request.overwrite())) {
                try {
                    MergeExecutor.toWriter(plan, out,
                            new MergeExecutor.Options(request.seed(), request.threads(), request.memoryBudget()),
                            events);
                } catch (RuntimeException | InternalError e) {
                    throw inputChanged(plan, e);
                }
                MergeOutput.writeOtherFiles(plan, file, out.staging(), request.baseDirectory(), events);
                out.commit();
            }
            Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
            events.lifecycle(String.format(Locale.ROOT, "Wrote %s (%d tensors, %.1f MB) in %.1f s",
                    request.outputDirectory(), plan.tensors().size(), plan.outputBytes() / 1e6,
                    elapsed.toMillis() / 1000.0));
            return new MergeResult(request.outputDirectory(), plan.tensors().size(), plan.outputBytes(), elapsed);
        }
    }

    /**
     * An input file truncated or replaced while the merge reads its mapping faults in the JVM; that is the user's
     * file changing under the run, so it is reported as such, naming the file (the staging directory goes as the
     * writer closes). Any other failure is rethrown as it is.
     */
    private static RuntimeException inputChanged(MergePlan plan, Throwable e) {
        if (SafetensorsModel.isMappingFault(e)) {
            for (LoadedModel m : plan.models()) {
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
