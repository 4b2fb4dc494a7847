package dev.evomerge.maven;

import dev.evomerge.Defaults;
import dev.evomerge.Merge;
import dev.evomerge.MergeRequest;
import dev.evomerge.MergeResult;
import dev.evomerge.config.ByteSizes;
import dev.evomerge.event.EventListener;
import java.io.File;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Runs a mergekit YAML config and writes the merged model, with mergekit's arithmetic and its
 * {@code evomerge.lock.json}, and attaches the recipe, the lock and (with {@code attachWeights}) the model to the
 * project: {@code mvn evomerge:merge}.
 *
 * @since 0.1.0
 */
@Mojo(name = "merge", defaultPhase = LifecyclePhase.PACKAGE, threadSafe = true)
public class MergeMojo extends AttachingMojo {

    /**
     * The mergekit YAML config.
     *
     * @since 0.1.0
     */
    @Parameter(property = "evomerge.config", defaultValue = "${project.basedir}/src/evomerge/merge.yml")
    File config;

    /**
     * Where the merged model is written (atomically: a temporary sibling is renamed on success).
     *
     * @since 0.1.0
     */
    @Parameter(property = "evomerge.outputDirectory", defaultValue = "${project.build.directory}/evomerge/model")
    File outputDirectory;

    /**
     * Seed of the stochastic methods (DARE, DELLA).
     *
     * @since 0.1.0
     */
    @Parameter(property = "evomerge.seed", defaultValue = Defaults.SEED)
    long seed;

    /**
     * Shard size in bytes, with mergekit's suffixes: {@code 5B} (5·10⁹), {@code 500M}, {@code 20K}.
     *
     * @since 0.1.0
     */
    @Parameter(property = "evomerge.outShardSize", defaultValue = Defaults.SHARD_SIZE)
    String outShardSize;

    /**
     * Tensors merged in parallel; 0 means one per processor.
     *
     * @since 0.1.0
     */
    @Parameter(property = "evomerge.threads", defaultValue = Defaults.THREADS)
    int threads;

    /**
     * Tensor data in flight at once, e.g. {@code 2G}; empty means half the heap.
     *
     * @since 0.1.0
     */
    @Parameter(property = "evomerge.memoryBudget")
    String memoryBudget;

    /**
     * Replace an existing output directory (the merge output of an earlier build is replaced anyway when it was
     * written by evomerge into the build directory).
     *
     * @since 0.1.0
     */
    @Parameter(property = "evomerge.overwrite", defaultValue = "false")
    boolean overwrite;

    private final Merge merge;

    public MergeMojo() {
        this(Merge.standard());
    }

    /** A goal that runs {@code merge} instead of the runtime's own (tests hand it a fake). */
    MergeMojo(Merge merge) {
        this.merge = merge;
    }

    @Override
    protected String goal() {
        return "merge";
    }

    @Override
    protected void run(EventListener events) throws MojoFailureException {
        MergeRequest request;
        try {
            request = new MergeRequest(config.toPath(), outputDirectory.toPath(), seed, ByteSizes.parse(outShardSize),
                    Defaults.threads(threads), Defaults.memoryBudget(memoryBudget),
                    overwrite || insideBuildDirectory(), project.getBasedir().toPath(), environment());
        } catch (IllegalArgumentException e) {
            throw new MojoFailureException("evomerge:merge: " + e.getMessage());
        }
        MergeResult result = merge.run(request, events);
        if (attach) {
            attachOutputs(config.toPath(), result.lock(), null,
                    attachWeights ? result.outputDirectory() : null, getLog());
        }
    }

    /** Rebuilding replaces the previous build's output in target/ without asking, as other build outputs do. */
    private boolean insideBuildDirectory() {
        File build = new File(project.getBuild().getDirectory()).getAbsoluteFile();
        return outputDirectory.getAbsoluteFile().toPath().startsWith(build.toPath());
    }
}
