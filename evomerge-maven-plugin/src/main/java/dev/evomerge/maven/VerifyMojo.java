package dev.evomerge.maven;

import dev.evomerge.MergeRequest;
import dev.evomerge.Verify;
import dev.evomerge.VerifyRequest;
import dev.evomerge.event.EventListener;
import java.io.File;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Checks a model against its {@code evomerge.lock.json}, as {@code evomerge verify} does: every input file's size and
 * SHA-256, then (unless {@code inputsOnly}) a rebuild of the locked recipe into a temporary directory whose every
 * file must have the locked hash. Fails the build naming the first file that differs: {@code mvn evomerge:verify}.
 *
 * @since 0.1.0
 */
@Mojo(name = "verify", defaultPhase = LifecyclePhase.VERIFY, threadSafe = true)
public class VerifyMojo extends AbstractEvomergeMojo {

    /**
     * The lock file, or the model directory that holds it.
     *
     * @since 0.1.0
     */
    @Parameter(property = "evomerge.lock", defaultValue = "${project.build.directory}/evomerge/model")
    File lock;

    /**
     * Check only the inputs' hashes, without rebuilding (fast, for CI).
     *
     * @since 0.1.0
     */
    @Parameter(property = "evomerge.inputsOnly", defaultValue = "false")
    boolean inputsOnly;

    /**
     * Tensors merged in parallel by the rebuild; 0 means one per processor.
     *
     * @since 0.1.0
     */
    @Parameter(property = "evomerge.threads", defaultValue = "0")
    int threads;

    @Override
    protected String goal() {
        return "verify";
    }

    @Override
    protected void run(EventListener events) throws MojoFailureException {
        VerifyRequest request;
        try {
            request = new VerifyRequest(lock.toPath(), inputsOnly, threads > 0 ? threads
                    : MergeRequest.defaultThreads(), System.getenv());
        } catch (IllegalArgumentException e) {
            throw new MojoFailureException("evomerge:verify: " + e.getMessage());
        }
        Verify.run(request, events);
    }
}
