package dev.evomerge;

import dev.evomerge.config.MergeConfigFile;
import dev.evomerge.event.EventListener;
import dev.evomerge.model.ModelResolver;
import dev.evomerge.model.ResolvedModel;
import dev.evomerge.report.DigestCache;
import dev.evomerge.report.LockFile;
import dev.evomerge.report.RunReport;
import dev.evomerge.report.RunSpaces;
import dev.evomerge.search.evolve.EvolutionResult;
import dev.evomerge.search.evolve.EvolutionRun;
import dev.evomerge.search.evolve.EvolveConfig;
import dev.evomerge.search.evolve.EvolveConfigReader;
import dev.evomerge.search.space.DataFlowCheckpoint;
import java.nio.file.Path;
import java.util.List;

/**
 * The evolve facade the CLI and the Maven plugin call: reads and checks the evolve config, then runs (or resumes)
 * the search in the work directory.
 *
 * <p>An object the CLI and the Maven goals receive ({@link #standard()} unless a test hands them a fake).
 * The standard one is stateless and thread-safe.
 */
public interface Evolve {

    /** Reads the config and runs the search; see {@link EvolutionRun}. */
    EvolutionResult run(EvolveRequest request, EventListener events);

    /** The runtime's own evolve: the implementation the CLI uses and the Maven goals receive by default. */
    static Evolve standard() {
        return Evolve::standardRun;
    }

    /** {@link #run} as the runtime does it. */
    private static EvolutionResult standardRun(EvolveRequest request, EventListener events) {
        EvolveConfig config = EvolveConfigReader.read(request.configFile(), events);
        if (request.seed().isPresent()) {
            config = config.withSeed(request.seed().getAsLong());
        }
        ModelResolver resolver = new ModelResolver(request.baseDirectory(), request.environment(), events)
                .downloading();
        EvolutionResult result = EvolutionRun.run(config, request.workDirectory(), request.resume(), request.force(),
                request.generations(), resolver, events);
        if (result.finished()) {
            Path lock = lock(result, config.search().seed(), request, resolver).writeInto(result.bestModel());
            events.lifecycle("Wrote " + lock);
        }
        try {
            Path page = RunReport.write(result.workDirectory(), RunSpaces.of(config, resolver,
                    result.workDirectory()));
            events.lifecycle("Wrote the run report " + page);
        } catch (RuntimeException e) {
            // the run's outputs are written; a report that cannot be drawn must not lose them
            events.warn("the run report could not be drawn (" + e + "); draw it with evomerge report "
                    + result.workDirectory());
        }
        return result;
    }

    /**
     * The lock of the chosen recipe's model: {@code best.yml} as its recipe, the models it names as inputs (an
     * earlier stage's model among them in a hybrid run), the search seed, which is also the merges' seed, and the
     * shard size the search writes its models with.
     */
    static LockFile lock(EvolutionResult result, long seed, EvolveRequest request, ModelResolver resolver) {
        MergeConfigFile recipe = MergeConfigFile.read(result.bestRecipe(), EventListener.NONE);
        List<ResolvedModel> models = recipe.config().referencedModels().stream()
                .map(m -> resolver.resolve(m.reference())).toList();
        return Merge.lock("evolve", recipe, seed, DataFlowCheckpoint.DEFAULT_SHARD_BYTES, request.baseDirectory(),
                models, result.bestModel(), MergeRequest.defaultThreads(), DigestCache.forUser(request.environment()));
    }
}
