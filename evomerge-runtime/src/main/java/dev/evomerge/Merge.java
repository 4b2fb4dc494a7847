package dev.evomerge;

import dev.evomerge.config.MergeConfigFile;
import dev.evomerge.event.EventListener;
import dev.evomerge.merge.MergeExecutor;
import dev.evomerge.merge.MergeModels;
import dev.evomerge.merge.MergeOutput;
import dev.evomerge.merge.MergePlan;
import dev.evomerge.merge.MergePlanner;
import dev.evomerge.model.Architectures;
import dev.evomerge.model.ModelResolver;
import dev.evomerge.tensor.io.FileSpace;
import dev.evomerge.tensor.io.ModelWriter;
import dev.evomerge.tensor.io.StagedDirectory;
import java.time.Duration;
import java.util.Locale;

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
        StagedDirectory.checkTarget(request.outputDirectory().toAbsolutePath(), request.overwrite());
        ModelResolver resolver = new ModelResolver(request.baseDirectory(), request.environment(), events)
                .downloading();
        try (MergeModels models = new MergeModels(resolver, Architectures.builtIn())) {
            MergePlan plan = MergePlanner.plan(file.config(), models, events);
            events.lifecycle(String.format(Locale.ROOT, "Merging %d tensors from %d models with %s into %s",
                    plan.tensors().size(), plan.models().size(), plan.method().name(), request.outputDirectory()));
            try (ModelWriter out = ModelWriter.create(request.outputDirectory(), plan.outputInfos(),
                    request.outShardSize(), request.overwrite())) {
                MergeExecutor.toWriter(plan, out,
                        new MergeExecutor.Options(request.seed(), request.threads(), request.memoryBudget()), events);
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
}
