package dev.evomerge.report;

import dev.evomerge.config.ModelSpec;
import dev.evomerge.model.Architectures;
import dev.evomerge.model.ModelDirectory;
import dev.evomerge.model.ModelReference;
import dev.evomerge.model.ModelResolver;
import dev.evomerge.search.evolve.DfsSection;
import dev.evomerge.search.evolve.EvolveConfig;
import dev.evomerge.search.space.DataFlowModel;
import dev.evomerge.search.space.DataFlowSpace;
import dev.evomerge.search.space.GenomeDefinition;
import dev.evomerge.search.space.ParameterSpace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The genome spaces of an evolve run, rebuilt from its config, so that the report can name the genes of a genome in
 * {@code history.jsonl} (models and layer groups of the parameter space) and decode a data-flow genome into its
 * path. Either space is absent when the run has no such stage or its models cannot be read now. Immutable.
 *
 * @param ps the parameter space
 * @param dfs the data-flow space
 * @param dfsModels the data-flow models' names, A first
 * @param objectives the names of the searched objectives (the config's objective tasks; empty: the fitness)
 * @param pathLengthObjective whether the data-flow search's last objective is the path length (minimised; the
 *     others are maximised)
 */
public record RunSpaces(Optional<ParameterSpace> ps, Optional<DataFlowSpace> dfs, List<String> dfsModels,
        List<String> objectives, boolean pathLengthObjective) {

    /** No spaces: the report draws what history.jsonl and summary.json hold by themselves. */
    public static final RunSpaces NONE = new RunSpaces(Optional.empty(), Optional.empty(), List.of(), List.of(),
            false);

    public RunSpaces {
        dfsModels = List.copyOf(dfsModels);
        objectives = List.copyOf(objectives);
    }

    /**
     * The spaces of {@code config}'s run in {@code work}, with models resolved as the run resolves them; a space
     * whose models cannot be read is left out.
     */
    public static RunSpaces of(EvolveConfig config, ModelResolver resolver, Path work) {
        Optional<ParameterSpace> ps = Optional.empty();
        Optional<DataFlowSpace> dfs = Optional.empty();
        List<String> names = new ArrayList<>();
        try {
            if (config.genome().isPresent()) {
                GenomeDefinition genome = config.genome().get();
                ps = Optional.of(ParameterSpace.of(genome, load(resolver, genome.models().getFirst().reference())
                        .layerCount()));
            }
            if (config.dfs().isPresent()) {
                DfsSection section = config.dfs().get();
                List<DataFlowModel> models = new ArrayList<>();
                for (DfsSection.Entry e : section.models()) {
                    ModelDirectory d;
                    if (e.isPsResult()) {
                        Path result = work.resolve("ps").resolve("best");
                        d = Files.isDirectory(result) ? load(resolver, ModelReference.of(result.toString()))
                                : load(resolver, config.genome().orElseThrow().models().getFirst().reference());
                        names.add("ps result");
                    } else {
                        ModelSpec spec = e.model().orElseThrow();
                        d = load(resolver, spec.reference());
                        names.add(spec.reference().toString());
                    }
                    models.add(DataFlowModel.of(d));
                }
                dfs = Optional.of(DataFlowSpace.of(models, section.settings()));
            }
        } catch (RuntimeException e) {
            // the report still draws what the history holds
        }
        List<String> objectives = config.search().objectives().size() > 1 ? config.search().objectives()
                : List.of();
        return new RunSpaces(ps, dfs, names, objectives, config.search().pathLengthObjective());
    }

    private static ModelDirectory load(ModelResolver resolver, ModelReference reference) {
        return ModelDirectory.load(resolver.resolve(reference), Architectures.builtIn());
    }
}
