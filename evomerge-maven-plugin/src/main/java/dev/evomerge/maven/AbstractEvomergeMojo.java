package dev.evomerge.maven;

import dev.evomerge.diag.EvomergeException;
import dev.evomerge.event.EventListener;
import dev.evomerge.infer.block.Projection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * What every evomerge goal shares: the {@code skip} switch, the event logger, DJL's offline settings, and the one
 * place where runtime errors become Maven failures (a user mistake fails the build with its one-line message and
 * no stack trace; anything else is reported as an internal error with its cause).
 */
public abstract class AbstractEvomergeMojo extends AbstractMojo {

    private static final AtomicBoolean NATIVE_ACCESS_SAID = new AtomicBoolean();
    private static final AtomicBoolean VECTOR_MODULE_SAID = new AtomicBoolean();

    /**
     * Skips the goal.
     *
     * @since 0.1.0
     */
    @Parameter(property = "evomerge.skip", defaultValue = "false")
    protected boolean skip;

    /**
     * The Maven session (read only): an offline session ({@code -o}) means no model is downloaded.
     *
     * @since 0.1.0
     */
    @Parameter(defaultValue = "${session}", readonly = true, required = true)
    protected MavenSession session;

    @Override
    public final void execute() throws MojoExecutionException, MojoFailureException {
        if (skip) {
            getLog().info("Skipping evomerge:" + goal() + " (evomerge.skip is true)");
            return;
        }
        keepDjlOffline();
        sayOnceWithoutNativeAccess();
        try {
            run(new MavenEventLogger(getLog()));
        } catch (EvomergeException e) {
            throw new MojoFailureException(e.userMessage());
        } catch (RuntimeException e) {
            throw new MojoExecutionException("evomerge:" + goal() + " failed with an internal error: " + e, e);
        }
    }

    /** The goal name, for messages. */
    protected abstract String goal();

    /** Builds the request, calls the runtime facade and attaches outputs. */
    protected abstract void run(EventListener events) throws MojoFailureException;

    /**
     * Without {@code --enable-native-access} (a project with no {@code .mvn/jvm.config} saying so), the goals work,
     * only without reserving the output shards' blocks ahead.
     */
    private void sayOnceWithoutNativeAccess() {
        sayOnce(NATIVE_ACCESS_SAID, !AbstractEvomergeMojo.class.getModule().isNativeAccessEnabled(),
                "Native access is not enabled in this Maven JVM: output shards are written without reserving their"
                + " blocks first (a little slower); add --enable-native-access=ALL-UNNAMED to .mvn/jvm.config to"
                + " enable it");
    }

    /**
     * For the goals that generate text (evaluate, evolve): without the JDK's vector module in Maven's JVM (a project
     * with no {@code --add-modules=jdk.incubator.vector} in {@code .mvn/jvm.config}), decode steps run through
     * PyTorch instead of evomerge's kernel, and the goals work.
     */
    protected void sayOnceWithoutVectorModule() {
        sayOnce(VECTOR_MODULE_SAID, !Projection.vectorModuleLoaded(), "The JDK's vector module is not in this Maven"
                + " JVM: text generation runs its decode steps through PyTorch (slower); add"
                + " --add-modules=jdk.incubator.vector to .mvn/jvm.config to use evomerge's decode kernel");
    }

    /** Where a JVM flag is missing, says {@code line} at INFO once per build ({@code said} remembers it). */
    private void sayOnce(AtomicBoolean said, boolean missing, String line) {
        if (missing && said.compareAndSet(false, true)) {
            getLog().info(line);
        }
    }

    /**
     * The process environment the runtime reads ({@code HF_HOME}, {@code HF_TOKEN}, ...), with
     * {@code HF_HUB_OFFLINE=1} added when Maven runs offline ({@code -o}): an offline build downloads no model.
     */
    protected Map<String, String> environment() {
        Map<String, String> env = new HashMap<>(System.getenv());
        if (session != null && session.isOffline()) {
            env.put("HF_HUB_OFFLINE", "1");
        }
        return env;
    }

    /** DJL reads these before any network access; without them it probes cloud metadata addresses. */
    private static void keepDjlOffline() {
        if (System.getProperty("offline") == null) {
            System.setProperty("offline", "true");
        }
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        if (System.getProperty("OPT_OUT_TRACKING") == null) {
            System.setProperty("OPT_OUT_TRACKING", "true");
        }
    }
}
