package dev.evomerge.search.evolve;

import com.fasterxml.jackson.databind.JsonNode;
import dev.evomerge.diag.RunException;
import dev.evomerge.search.Direction;
import dev.evomerge.search.Optimizer;
import dev.evomerge.search.Xoshiro256;
import dev.evomerge.search.cmaes.CmaEs;
import dev.evomerge.search.cmaes.CmaEsSettings;
import dev.evomerge.search.cmaes.SepCmaEs;
import dev.evomerge.search.ga.GeneticSearch;
import dev.evomerge.search.ga.GeneticSettings;
import dev.evomerge.search.ga.GenomeEncoding;
import dev.evomerge.search.nsga2.Nsga2Search;
import dev.evomerge.search.nsga2.Nsga2Settings;
import dev.evomerge.search.space.GenomeSpace;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.ToIntFunction;

/**
 * The optimizers an evolve stage runs, one entry per kind (as {@code MergeMethods} is for merge methods): how each
 * starts from {@code search:}, how it is restored from a checkpoint, and what the generation loop asks of it.
 */
final class Optimizers {

    /**
     * What the loop asks of one kind.
     *
     * @param kind {@link Optimizer#kind()}, as checkpoints name it
     * @param restore the optimizer from its checkpointed state
     * @param keepsScoredMembers whether it carries scored members into later generations (GA and NSGA-II
     *     survivors), whose scores then compete with new ones: such a search scores every generation on the first
     *     generation's subset, so that all the scores it compares come from the same documents; CMA-ES keeps no
     *     scores and draws a new subset each generation
     * @param mean the distribution's mean, for the optimizers that have one (CMA-ES)
     * @param population the candidates of its first asked generation
     * @param populationDefault where the population comes from when {@code search.population} is left out
     */
    private record Entry(String kind, Function<JsonNode, Optimizer> restore, boolean keepsScoredMembers,
            Function<Optimizer, Optional<double[]>> mean, ToIntFunction<Optimizer> population,
            String populationDefault) {
    }

    private static final List<Entry> ALL = List.of(
            new Entry(CmaEs.KIND, CmaEs::restore, false, o -> Optional.of(((CmaEs) o).mean()),
                    o -> o.ask().size(), "4 + floor(3 ln n)"),
            new Entry(SepCmaEs.KIND, SepCmaEs::restore, false, o -> Optional.of(((SepCmaEs) o).mean()),
                    o -> o.ask().size(), "4 + floor(3 ln n)"),
            new Entry(GeneticSearch.KIND, GeneticSearch::restore, true, o -> Optional.empty(),
                    o -> ((GeneticSearch) o).settings().populationSize(), "the optimizer's default"),
            new Entry(Nsga2Search.KIND, Nsga2Search::restore, true, o -> Optional.empty(),
                    o -> ((Nsga2Search) o).settings().populationSize(), "the optimizer's default"));

    /**
     * What a stage starts its optimizer from.
     *
     * @param sigma0 the stage's initial step size (CMA-ES)
     */
    record Start(double[] x0, GenomeSpace<?> space, List<Direction> directions, SearchSettings settings,
            double sigma0, Xoshiro256 random) {
    }

    private static final Map<OptimizerKind, Function<Start, Optimizer>> STARTS = new EnumMap<>(Map.of(
            OptimizerKind.CMAES, Optimizers::cmaes,
            OptimizerKind.GA, Optimizers::ga,
            OptimizerKind.NSGA2, Optimizers::nsga2));

    private Optimizers() {
    }

    /** A new optimizer of a {@code search.optimizer} kind. */
    static Optimizer start(OptimizerKind kind, Start start) {
        return STARTS.get(kind).apply(start);
    }

    /** The optimizer a checkpoint holds. */
    static Optimizer restore(JsonNode state) {
        String kind = state.path("optimizer").asText();
        return ALL.stream().filter(e -> e.kind().equals(kind)).findFirst()
                .orElseThrow(() -> new RunException("the checkpoint holds an unknown optimizer '" + kind + "'",
                        "start the run again in a fresh work directory"))
                .restore().apply(state);
    }

    /** See {@link Entry#keepsScoredMembers()}. */
    static boolean keepsScoredMembers(Optimizer optimizer) {
        return entry(optimizer).keepsScoredMembers();
    }

    /** The distribution's mean, for an optimizer that has one. */
    static Optional<double[]> mean(Optimizer optimizer) {
        return entry(optimizer).mean().apply(optimizer);
    }

    /** The candidates of the optimizer's first asked generation. */
    static int population(Optimizer optimizer) {
        return entry(optimizer).population().applyAsInt(optimizer);
    }

    /** Where the population comes from when {@code search.population} is left out. */
    static String populationDefault(Optimizer optimizer) {
        return entry(optimizer).populationDefault();
    }

    /** Whether the optimizer is CMA-ES (full or separable), whose covariance form the start line explains. */
    static boolean isCmaEs(Optimizer optimizer) {
        return optimizer instanceof CmaEs || optimizer instanceof SepCmaEs;
    }

    private static Entry entry(Optimizer optimizer) {
        return ALL.stream().filter(e -> e.kind().equals(optimizer.kind())).findFirst().orElseThrow();
    }

    private static Optimizer cmaes(Start start) {
        SearchSettings s = start.settings();
        CmaEsSettings settings = CmaEsSettings.of(start.x0(), start.sigma0()).withBounds(start.space().bounds())
                .withDirection(Direction.MAXIMIZE);
        if (s.population().isPresent()) {
            settings = settings.withPopulationSize(s.population().getAsInt());
        }
        return s.separable(start.space().dimension()) ? SepCmaEs.start(settings, start.random())
                : CmaEs.start(settings, start.random());
    }

    private static Optimizer ga(Start start) {
        SearchSettings s = start.settings();
        GeneticSettings settings = GeneticSettings.of(encoding(start.space())).withDirection(Direction.MAXIMIZE)
                .withInitial(List.of(start.x0()));
        if (s.population().isPresent()) {
            settings = settings.withPopulationSize(s.population().getAsInt());
        }
        return GeneticSearch.start(settings, start.random());
    }

    private static Optimizer nsga2(Start start) {
        SearchSettings s = start.settings();
        Nsga2Settings settings = Nsga2Settings.of(encoding(start.space()), start.directions())
                .withInitial(List.of(start.x0()));
        if (s.population().isPresent()) {
            settings = settings.withPopulationSize(s.population().getAsInt());
        }
        return Nsga2Search.start(settings, start.random());
    }

    private static GenomeEncoding encoding(GenomeSpace<?> space) {
        int[] indicators = space.indicatorGenes();
        return indicators.length == 0 ? GenomeEncoding.reals(space.bounds())
                : new GenomeEncoding(space.bounds(), indicators);
    }
}
