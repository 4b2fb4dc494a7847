package dev.evomerge.maven;

import dev.evomerge.Evolve;
import dev.evomerge.EvolveRequest;
import dev.evomerge.event.EventListener;
import java.io.File;
import java.util.OptionalLong;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;

/**
 * Searches merge recipes as an evolve YAML config says — parameter space, data-flow space or both, one objective or
 * several — and writes the chosen recipe ({@code best.yml}), its model ({@code best/}), the history and a summary
 * into the work directory: {@code mvn evomerge:evolve}. A build that was stopped resumes with
 * {@code -Devomerge.resume}.
 *
 * @since 0.1.0
 */
@Mojo(name = "evolve", defaultPhase = LifecyclePhase.PACKAGE, threadSafe = true)
public class EvolveMojo extends AbstractEvomergeMojo {

    /**
     * The evolve YAML config.
     *
     * @since 0.1.0
     */
    @Parameter(property = "evomerge.config", defaultValue = "${project.basedir}/src/evomerge/evolve.yml")
    File config;

    /**
     * Where the run keeps its checkpoint, {@code history.jsonl} and outputs.
     *
     * @since 0.1.0
     */
    @Parameter(property = "evomerge.workDirectory", defaultValue = "${project.build.directory}/evomerge")
    File workDirectory;

    /**
     * Continue the run the work directory holds from its last checkpoint.
     *
     * @since 0.1.0
     */
    @Parameter(property = "evomerge.resume", defaultValue = "false")
    boolean resume;

    /**
     * A seed that replaces the config's {@code search.seed}.
     *
     * @since 0.1.0
     */
    @Parameter(property = "evomerge.seed")
    Long seed;

    @Parameter(defaultValue = "${project}", readonly = true, required = true)
    MavenProject project;

    @Override
    protected String goal() {
        return "evolve";
    }

    @Override
    protected void run(EventListener events) {
        Evolve.run(new EvolveRequest(config.toPath(), workDirectory.toPath(), resume,
                seed == null ? OptionalLong.empty() : OptionalLong.of(seed), project.getBasedir().toPath(),
                System.getenv()), events);
    }
}
