package dev.evomerge;

import dev.evomerge.event.EventListener;
import dev.evomerge.exec.SlurmEvaluator;
import dev.evomerge.model.ModelResolver;
import dev.evomerge.search.evolve.EvolutionResult;
import dev.evomerge.search.evolve.EvolutionRun;
import dev.evomerge.search.evolve.EvolveConfig;
import dev.evomerge.search.evolve.EvolveConfigReader;

/**
 * The evolve facade the CLI and the Maven plugin call: reads and checks the evolve config, then runs (or resumes)
 * the search in the work directory.
 */
public final class Evolve {

    private Evolve() {
    }

    /** Reads the config and runs the search; see {@link EvolutionRun}. */
    public static EvolutionResult run(EvolveRequest request, EventListener events) {
        EvolveConfig config = EvolveConfigReader.read(request.configFile(), events);
        if (request.seed().isPresent()) {
            config = config.withSeed(request.seed().getAsLong());
        }
        ModelResolver resolver = new ModelResolver(request.baseDirectory(), request.environment(), events)
                .downloading();
        return EvolutionRun.run(config, request.workDirectory(), request.resume(), request.generations(), resolver,
                events, SlurmEvaluator::new);
    }
}
