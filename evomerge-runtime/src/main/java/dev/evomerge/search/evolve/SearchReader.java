package dev.evomerge.search.evolve;

import static dev.evomerge.search.evolve.EvolveValues.atLeast;
import static dev.evomerge.search.evolve.EvolveValues.duration;
import static dev.evomerge.search.evolve.EvolveValues.finite;
import static dev.evomerge.search.evolve.EvolveValues.section;
import static dev.evomerge.search.evolve.EvolveValues.strings;

import dev.evomerge.config.YamlEnums;
import dev.evomerge.config.YamlMapping;
import dev.evomerge.config.YamlNode;
import dev.evomerge.config.YamlScalar;
import dev.evomerge.diag.ConfigException;
import dev.evomerge.diag.SourceLocation;
import dev.evomerge.event.EventListener;
import dev.evomerge.search.evolve.EvolveValues.OptionalSection;
import dev.evomerge.search.space.InitialPoint;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * Reads the {@code search:} section of an {@code evolve.yml} into {@link SearchSettings}: the optimizer (NSGA-II
 * where several objectives are searched), population, step sizes, initial point, budget, seed and document subset.
 * Every key has a default, the section too. Stateless.
 */
final class SearchReader {

    private static final List<String> SEARCH_KEYS = List.of("optimizer", "population", "sigma0", "initial", "budget",
            "seed", "objectives", "subset", "path_length_objective", "cmaes", "ps", "dfs");
    private static final List<String> STAGE_KEYS = List.of("sigma0");
    private static final List<String> BUDGET_KEYS = List.of("evaluations", "generations", "wall_time");
    /** The evaluations a stage may run when {@code search.budget} is left out. */
    static final long DEFAULT_EVALUATIONS = 1000;

    private SearchReader() {
    }

    /**
     * The {@code search:} settings, the defaults where {@code node} is absent.
     *
     * @param rootLocation where the defaults apply when the section is left out
     */
    static SearchSettings read(Optional<YamlNode> node, SourceLocation rootLocation, List<TaskSpec> tasks,
            EventListener events) {
        OptionalSection values = OptionalSection.read(node, "search", SEARCH_KEYS, rootLocation, events);
        Map<String, SourceLocation> keys = values.keyLocations();
        SourceLocation location = values.location();
        List<String> objectives = values.get("objectives").map(n -> strings(n, "search.objectives", "a task name"))
                .orElse(List.of());
        Optional<OptimizerKind> named = values.get("optimizer").map(n -> optimizer(n.asScalar()));
        OptimizerKind optimizer = named.orElse(objectives.size() > 1 ? OptimizerKind.NSGA2 : OptimizerKind.CMAES);
        if (objectives.size() > 1 && optimizer != OptimizerKind.NSGA2) {
            throw values.get("optimizer").orElseThrow().error(optimizer.configName() + " searches one objective, but"
                    + " 'objectives' names " + objectives.size(), "use optimizer: nsga2, or name one objective");
        }
        OptionalInt population = values.get("population").map(n -> OptionalInt.of(atLeast(n.asScalar(),
                "population", 2, 100_000, "a generation needs two candidates or more; leave it out for the"
                        + " optimizer's default"))).orElse(OptionalInt.empty());
        double sigma0 = values.get("sigma0").map(SearchReader::sigma0).orElse(SearchSettings.DEFAULT_SIGMA0);
        Map<Stage, Double> stageSigma0 = new EnumMap<>(Stage.class);
        for (Stage stage : Stage.values()) {
            values.get(stage.id()).ifPresent(n -> {
                YamlMapping s = section(n, "search." + stage.id());
                s.warnUnknownKeys(STAGE_KEYS, events);
                s.getNonNull("sigma0").ifPresent(v -> stageSigma0.put(stage, sigma0(v)));
            });
        }
        InitialPoint initial = values.get("initial").map(n -> YamlEnums.parse(InitialPoint.class,
                n.asScalar().asString(), "initial point", n.location())).orElse(InitialPoint.MERGEKIT);
        SearchSettings.Budget budget = budget(values.get("budget"), keys.getOrDefault("budget", location), events);
        long seed = values.get("seed").map(n -> n.asScalar().asLong()).orElse(0L);
        OptionalInt subset = values.get("subset").map(n -> OptionalInt.of(atLeast(n.asScalar(), "subset", 1,
                Integer.MAX_VALUE, "give the documents scored per generation, or leave it out to score all")))
                .orElse(OptionalInt.empty());
        boolean pathLength = values.get("path_length_objective").map(n -> n.asScalar().asBoolean()).orElse(false);
        if (pathLength && optimizer != OptimizerKind.NSGA2) {
            if (named.isPresent()) {
                throw values.get("optimizer").orElseThrow().error("path_length_objective makes the search"
                        + " multi-objective, which " + optimizer.configName() + " cannot search",
                        "use optimizer: nsga2");
            }
            optimizer = OptimizerKind.NSGA2;
        }
        if ((objectives.size() > 1 || pathLength) && population.isPresent() && population.getAsInt() < 4) {
            // NSGA-II's tournament and survivor cut need two pairs of parents
            throw values.get("population").orElseThrow().error("NSGA-II needs a population of at least 4 but it is "
                    + population.getAsInt(), "give 4 or more, or leave it out for the optimizer's default");
        }
        Optional<SearchSettings.CmaesCovariance> cmaes = values.get("cmaes").map(n -> switch (n.asScalar()
                .asString()) {
            case "full" -> SearchSettings.CmaesCovariance.FULL;
            case "separable" -> SearchSettings.CmaesCovariance.SEPARABLE;
            default -> throw n.error("unknown CMA-ES covariance '" + n.asScalar().asString() + "'",
                    "use full or separable, or leave it out to go separable above "
                            + SearchSettings.SEPARABLE_ABOVE + " genes");
        });
        return new SearchSettings(optimizer, population, sigma0, initial, budget, seed, objectives, subset,
                pathLength, location, keys, cmaes, stageSigma0);
    }

    /** An initial step size: a finite number above 0. */
    private static double sigma0(YamlNode n) {
        double sigma0 = finite(n.asScalar(), "sigma0",
                "give the initial step size in genome units, for example 0.1667");
        if (!(sigma0 > 0)) {
            throw n.error("'sigma0' must be above 0 but is " + sigma0,
                    "give the initial step size in genome units, for example 0.1667");
        }
        return sigma0;
    }

    private static OptimizerKind optimizer(YamlScalar s) {
        return YamlEnums.parse(OptimizerKind.class, s.asString(), "optimizer", s.location());
    }

    private static SearchSettings.Budget budget(Optional<YamlNode> node, SourceLocation at, EventListener events) {
        if (node.isEmpty()) {
            return new SearchSettings.Budget(OptionalLong.of(DEFAULT_EVALUATIONS), OptionalLong.empty(),
                    Optional.empty());
        }
        YamlMapping m = section(node.get(), "budget");
        m.warnUnknownKeys(BUDGET_KEYS, events);
        OptionalLong evaluations = m.getNonNull("evaluations").map(n -> OptionalLong.of(atLeast(n.asScalar(),
                "evaluations", 1, Integer.MAX_VALUE, "give the evaluations a stage may run, or leave the key out")))
                .orElse(OptionalLong.empty());
        OptionalLong generations = m.getNonNull("generations").map(n -> OptionalLong.of(atLeast(n.asScalar(),
                "generations", 1, Integer.MAX_VALUE, "give the generations a stage may run, or leave the key out")))
                .orElse(OptionalLong.empty());
        Optional<Duration> wall = m.getNonNull("wall_time").map(n -> duration(n.asScalar()));
        if (evaluations.isEmpty() && generations.isEmpty() && wall.isEmpty()) {
            throw new ConfigException(at, "'search.budget' sets no limit", "set evaluations, generations or"
                    + " wall_time (for example evaluations: 1000)");
        }
        return new SearchSettings.Budget(evaluations, generations, wall);
    }
}
