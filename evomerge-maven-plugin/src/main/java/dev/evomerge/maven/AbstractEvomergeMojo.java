package dev.evomerge.maven;

import dev.evomerge.diag.EvomergeException;
import dev.evomerge.event.EventListener;
import java.util.HashMap;
import java.util.Map;
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

    private static final java.util.concurrent.atomic.AtomicBoolean NATIVE_ACCESS_SAID =
            new java.util.concurrent.atomic.AtomicBoolean();

    /**
     * Without {@code --enable-native-access} (a project with no {@code .mvn/jvm.config} saying so), the goals work,
     * only without reserving the output shards' blocks ahead: one INFO line per build says so and how to change it.
     */
    private void sayOnceWithoutNativeAccess() {
        if (!AbstractEvomergeMojo.class.getModule().isNativeAccessEnabled()
                && NATIVE_ACCESS_SAID.compareAndSet(false, true)) {
            getLog().info("Native access is not enabled in this Maven JVM: output shards are written without"
                    + " reserving their blocks first (a little slower); add --enable-native-access=ALL-UNNAMED to"
                    + " .mvn/jvm.config to enable it");
        }
    }

    private static final java.util.concurrent.atomic.AtomicBoolean VECTOR_MODULE_SAID =
            new java.util.concurrent.atomic.AtomicBoolean();

    /**
     * For the goals that generate text (evaluate, evolve): without the JDK's vector module in Maven's JVM (a project
     * with no {@code --add-modules=jdk.incubator.vector} in {@code .mvn/jvm.config}), decode steps run through
     * PyTorch instead of evomerge's kernel; the goals work, one INFO line per build says so and how to change it.
     */
    protected void sayOnceWithoutVectorModule() {
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()
                && VECTOR_MODULE_SAID.compareAndSet(false, true)) {
            getLog().info("The JDK's vector module is not in this Maven JVM: text generation runs its decode steps"
                    + " through PyTorch (slower); add --add-modules=jdk.incubator.vector to .mvn/jvm.config to use"
                    + " evomerge's decode kernel");
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
