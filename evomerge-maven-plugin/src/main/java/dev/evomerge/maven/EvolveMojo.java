package dev.evomerge.maven;

import dev.evomerge.Evolve;
import dev.evomerge.EvolveRequest;
import dev.evomerge.event.EventListener;
import dev.evomerge.report.LockFile;
import dev.evomerge.search.evolve.EvolutionResult;
import java.io.File;
import java.util.OptionalLong;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Searches merge recipes as an evolve YAML config says — parameter space, data-flow space or both, one objective or
 * several — and writes the chosen recipe ({@code best.yml}), its model ({@code best/}), the history and a summary
 * into the work directory, with {@code best/evomerge.lock.json} and the report, and attaches the recipe, the lock,
 * the report and (with {@code attachWeights}) the model to the project: {@code mvn evomerge:evolve}. A build that
 * was stopped resumes with {@code -Devomerge.resume}.
 *
 * @since 0.1.0
 */
@Mojo(name = "evolve", defaultPhase = LifecyclePhase.PACKAGE, threadSafe = true)
public class EvolveMojo extends AttachingMojo {

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
     * With {@code resume}: go on although the config, a task or data file, or a model changed since the run started
     * (what changed is recorded in {@code summary.json}).
     *
     * @since 0.1.0
     */
    @Parameter(property = "evomerge.force", defaultValue = "false")
    boolean force;

    /**
     * A seed that replaces the config's {@code search.seed}.
     *
     * @since 0.1.0
     */
    @Parameter(property = "evomerge.seed")
    Long seed;

    /**
     * Run at most this many generations in this build, then stop with the checkpoint written; a later build with
     * {@code -Devomerge.resume} goes on (for CI jobs with a time limit). Empty: run to the end of the budget.
     *
     * @since 0.1.0
     */
    @Parameter(property = "evomerge.generations")
    Long generations;

    private final Evolve evolve;

    public EvolveMojo() {
        this(Evolve.standard());
    }

    /** A goal that runs {@code evolve} instead of the runtime's own (tests hand it a fake). */
    EvolveMojo(Evolve evolve) {
        this.evolve = evolve;
    }

    @Override
    protected String goal() {
        return "evolve";
    }

    @Override
    protected void run(EventListener events) throws MojoFailureException {
        sayOnceWithoutVectorModule();
        EvolveRequest request;
        try {
            request = new EvolveRequest(config.toPath(), workDirectory.toPath(), resume, optional(seed),
                    optional(generations), project.getBasedir().toPath(), environment(), force);
        } catch (IllegalArgumentException e) {
            throw new MojoFailureException("evomerge:evolve: " + e.getMessage());
        }
        EvolutionResult result = evolve.run(request, events);
        if (attach && result.finished()) {
            attachOutputs(result.bestRecipe(),
                    result.bestModel().resolve(LockFile.NAME), result.workDirectory().resolve("report"),
                    attachWeights ? result.bestModel() : null, getLog());
        }
    }

    private static OptionalLong optional(Long value) {
        return value == null ? OptionalLong.empty() : OptionalLong.of(value);
    }
}
