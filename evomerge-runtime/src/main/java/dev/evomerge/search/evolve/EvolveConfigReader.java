package dev.evomerge.search.evolve;

import static dev.evomerge.search.evolve.EvolveValues.atLeast;
import static dev.evomerge.search.evolve.EvolveValues.byteSize;
import static dev.evomerge.search.evolve.EvolveValues.duration;
import static dev.evomerge.search.evolve.EvolveValues.finite;
import static dev.evomerge.search.evolve.EvolveValues.nonEmptyList;
import static dev.evomerge.search.evolve.EvolveValues.section;
import static dev.evomerge.search.evolve.EvolveValues.strings;

import dev.evomerge.config.DTypeSetting;
import dev.evomerge.config.ModelSpec;
import dev.evomerge.config.ModelSpecReader;
import dev.evomerge.config.TokenizerReader;
import dev.evomerge.config.YamlDocument;
import dev.evomerge.config.YamlEnums;
import dev.evomerge.config.YamlMapping;
import dev.evomerge.config.YamlNode;
import dev.evomerge.config.YamlParser;
import dev.evomerge.config.YamlScalar;
import dev.evomerge.diag.ConfigException;
import dev.evomerge.diag.SourceLocation;
import dev.evomerge.eval.CommandTemplate;
import dev.evomerge.event.EventListener;
import dev.evomerge.search.evolve.EvolveValues.OptionalSection;
import dev.evomerge.search.space.DataFlowSettings;
import dev.evomerge.search.space.GenomeDefinition;
import dev.evomerge.search.space.InitialPoint;
import dev.evomerge.search.space.Scaling;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.function.Function;

/**
 * Reads an {@code evolve.yml} (see {@code docs/evolve-config.md}) into an {@link EvolveConfig}, through the same
 * position-keeping YAML layer as merge configs: every mistake is a {@link ConfigException} naming file, line, column
 * and key path with what to do; an unknown key is a warning at its position. Task files are resolved against the
 * config's directory and must exist; model references are kept as written (resolved when the run starts).
 * Stateless.
 */
public final class EvolveConfigReader {

    private static final List<String> ROOT_KEYS = List.of("genome", "tasks", "dfs", "search", "evaluation");
    private static final List<String> GENOME_KEYS = List.of("models", "merge_method", "base_model",
            "layer_granularity", "normalize", "allow_negative_weights", "filters", "smooth", "tokenizer_source",
            "tokenizer", "dtype");
    private static final List<String> TASK_KEYS = List.of("file", "name", "weight", "metric", "lower_is_better",
            "splits");
    private static final List<String> TASK_EXTENSIONS = List.of(".yaml", ".yml");
    private static final List<String> SPLIT_KEYS = List.of("search", "validation", "test");
    private static final List<String> DFS_KEYS = List.of("models", "repeats", "scaling", "constraints",
            "initial_bias");
    private static final List<String> SEARCH_KEYS = List.of("optimizer", "population", "sigma0", "initial", "budget",
            "seed", "objectives", "subset", "path_length_objective", "cmaes", "ps", "dfs");
    private static final List<String> STAGE_KEYS = List.of("sigma0");
    private static final List<String> BUDGET_KEYS = List.of("evaluations", "generations", "wall_time");
    private static final List<String> EVALUATION_KEYS = List.of("mode", "batch_size", "threads", "memory_budget",
            "limit", "command", "timeout", "slurm");
    private static final List<String> SLURM_KEYS = List.of("partition", "gres", "time", "array_parallelism",
            "sbatch_args", "retries", "evomerge", "poll");
    static final long DEFAULT_EVALUATIONS = 1000;
    private static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(30);

    private EvolveConfigReader() {
    }

    /** Reads and checks an evolve config file. */
    public static EvolveConfig read(Path file, EventListener events) {
        return read(YamlParser.parse(file), events);
    }

    /** Reads and checks evolve config text, as if it were the file {@code file}. */
    public static EvolveConfig parse(String text, Path file, EventListener events) {
        return read(YamlParser.parse(text, file), events);
    }

    private static EvolveConfig read(YamlDocument document, EventListener events) {
        Path file = document.file();
        if (!(document.root() instanceof YamlMapping root)) {
            throw document.root().error("an evolve config must be a mapping (key: value) but is "
                    + document.root().kindName(), "start from the example in docs/evolve-config.md");
        }
        root.warnUnknownKeys(ROOT_KEYS, events);
        Optional<GenomeDefinition> genome = root.getNonNull("genome").map(n -> genome(n, events));
        Optional<DfsSection> dfs = root.getNonNull("dfs").map(n -> dfs(n, events));
        if (genome.isEmpty() && dfs.isEmpty()) {
            throw root.error("an evolve config needs 'genome' (parameter space), 'dfs' (data-flow space) or both",
                    "add a genome: section as mergekit-evolve writes it, or a dfs: section");
        }
        if (dfs.isPresent() && dfs.get().usesPsResult() && genome.isEmpty()) {
            SourceLocation at = dfs.get().models().stream().filter(DfsSection.Entry::isPsResult).findFirst()
                    .orElseThrow().location();
            throw new ConfigException(at, "'ps' stands for the parameter-space result, but there is no 'genome'"
                    + " section", "add a genome: section, or list model references only");
        }
        if (genome.isPresent() && dfs.isPresent() && !dfs.get().usesPsResult()) {
            events.warn("the genome: section is not searched: dfs.models does not list 'ps' (the parameter-space"
                    + " result)", root.keyLocation("genome"));
        }
        Path directory = file.toAbsolutePath().getParent();
        List<TaskSpec> tasks = tasks(root.getNonNull("tasks").orElseThrow(() -> root.error("'tasks' is required",
                "list the task files candidates are scored on, for example tasks: [tasks/math.yaml]")), directory,
                events);
        SearchSettings search = search(root.get("search"), root.location(), tasks, events);
        EvaluationSettings evaluation = evaluation(root.get("evaluation"), root.location(), events);
        if (search.pathLengthObjective() && dfs.isEmpty()) {
            throw new ConfigException(search.locationOf("path_length_objective"), "path_length_objective needs a"
                    + " data-flow search", "add a dfs: section, or leave path_length_objective out");
        }
        return new EvolveConfig(file, genome, tasks, dfs, search, evaluation);
    }

    private static GenomeDefinition genome(YamlNode node, EventListener events) {
        YamlMapping m = section(node, "genome");
        m.warnUnknownKeys(GENOME_KEYS, events);
        YamlNode modelsNode = m.getNonNull("models").orElseThrow(() -> m.error("'genome.models' is required",
                "list the models whose parameters are searched"));
        List<ModelSpec> models = new ArrayList<>();
        for (YamlNode item : nonEmptyList(modelsNode, "genome.models")) {
            models.add(ModelSpecReader.read(item, events));
        }
        YamlNode methodNode = m.getNonNull("merge_method").orElseThrow(() -> m.error(
                "'genome.merge_method' is required", "name a merge method, for example merge_method: dare_ties"));
        String method = methodNode.asScalar().asText("a merge method name");
        GenomeDefinition.Builder b = GenomeDefinition.builder(models, method).location(m.location());
        for (String key : m.keys()) {
            b.keyLocation(key, m.keyLocation(key));
        }
        b.keyLocation("merge_method", methodNode.location());
        m.getNonNull("base_model").ifPresent(n -> b.baseModel(ModelSpecReader.read(n, events)));
        m.getNonNull("layer_granularity").ifPresent(n -> b.layerGranularity(atLeast(n.asScalar(),
                "layer_granularity", 0, Integer.MAX_VALUE, "give the layers per group (a divisor of the layer"
                        + " count), or 0 for one parameter set for all layers")));
        m.getNonNull("normalize").ifPresent(n -> b.normalize(n.asScalar().asBoolean()));
        m.getNonNull("allow_negative_weights").ifPresent(n -> b.allowNegativeWeights(n.asScalar().asBoolean()));
        m.getNonNull("smooth").ifPresent(n -> b.smooth(n.asScalar().asBoolean()));
        m.getNonNull("filters").ifPresent(n -> b.filters(strings(n, "genome.filters", "a filter substring")));
        TokenizerReader.read(m, events).ifPresent(b::tokenizerSource);
        m.getNonNull("dtype").ifPresent(n -> b.dtype(DTypeSetting.parse(n.asScalar().asText("a dtype name such as"
                + " bfloat16"), n.location())));
        return b.build();
    }

    private static List<TaskSpec> tasks(YamlNode node, Path directory, EventListener events) {
        List<TaskSpec> tasks = new ArrayList<>();
        for (YamlNode item : nonEmptyList(node, "tasks")) {
            if (item instanceof YamlScalar s) {
                tasks.add(new TaskSpec(taskFile(s, directory, true), 1.0, TaskSpec.DEFAULT_METRIC, false,
                        Optional.empty(), Optional.empty(), Optional.empty(), s.location()));
                continue;
            }
            if (!(item instanceof YamlMapping m)) {
                throw item.error("a task entry must be a file name or a mapping but is " + item.kindName(),
                        "write the task file, or file: with weight:, metric: and splits:");
            }
            m.warnUnknownKeys(TASK_KEYS, events);
            Optional<YamlNode> fileNode = m.getNonNull("file");
            Optional<YamlNode> nameNode = m.getNonNull("name");
            if (fileNode.isPresent() && nameNode.isPresent()) {
                throw new ConfigException(m.keyLocation("name"), "a task entry has both 'file' and 'name'",
                        "keep file: (the task file); name: is mergekit-evolve's spelling of the same");
            }
            YamlNode taskNode = fileNode.or(() -> nameNode).orElseThrow(() -> m.error("a task entry needs 'file'",
                    "give the task file, for example file: tasks/math.yaml"));
            Path file = taskFile(taskNode.asScalar(), directory, nameNode.isPresent());
            double weight = m.getNonNull("weight").map(n -> finite(n.asScalar(), "weight",
                    "give the task's weight in the fitness sum, for example 1.0")).orElse(1.0);
            String metric = m.getNonNull("metric").map(n -> n.asScalar().asText("a metric key such as"
                    + " \"acc,none\"")).orElse(TaskSpec.DEFAULT_METRIC);
            if (metric.isBlank()) {
                throw m.get("metric").orElseThrow().error("'metric' is empty", "give a metric key such as"
                        + " \"exact_match,strict-match\"");
            }
            boolean lower = m.getNonNull("lower_is_better").map(n -> n.asScalar().asBoolean()).orElse(false);
            Map<String, String> splits = new HashMap<>();
            m.getNonNull("splits").ifPresent(n -> {
                YamlMapping sm = section(n, "splits");
                sm.warnUnknownKeys(SPLIT_KEYS, events);
                for (String role : SPLIT_KEYS) {
                    sm.getNonNull(role).ifPresent(v -> splits.put(role, v.asScalar().asString()));
                }
            });
            tasks.add(new TaskSpec(file, weight, metric, lower, Optional.ofNullable(splits.get("search")),
                    Optional.ofNullable(splits.get("validation")), Optional.ofNullable(splits.get("test")),
                    m.location()));
        }
        return tasks;
    }

    /**
     * The task file an entry names, relative to the config's directory. A task name as mergekit-evolve writes it
     * (a plain string or {@code name:}) is also found as {@code NAME.yaml} or {@code NAME.yml} there, which is how
     * a mergekit-evolve config finds its task files unchanged.
     */
    private static Path taskFile(YamlScalar s, Path directory, boolean mayBeName) {
        String text = s.asText("a task file path");
        if (text.isBlank()) {
            throw s.error("the task file is empty", "give the task file, for example tasks/math.yaml");
        }
        Path file = directory.resolve(text).normalize();
        if (Files.isRegularFile(file)) {
            return file;
        }
        if (mayBeName) {
            for (String extension : TASK_EXTENSIONS) {
                Path named = directory.resolve(text + extension).normalize();
                if (Files.isRegularFile(named)) {
                    return named;
                }
            }
            throw s.error("task file " + file + " does not exist (nor " + file.getFileName() + ".yaml or "
                    + file.getFileName() + ".yml next to it)", "give the path of an lm-evaluation-harness style"
                    + " task file, relative to this config's directory");
        }
        throw s.error("task file " + file + " does not exist", "give the path of an lm-evaluation-harness style"
                + " task file, relative to this config's directory");
    }

    private static DfsSection dfs(YamlNode node, EventListener events) {
        YamlMapping m = section(node, "dfs");
        m.warnUnknownKeys(DFS_KEYS, events);
        YamlNode modelsNode = m.getNonNull("models").orElseThrow(() -> m.error("'dfs.models' is required",
                "list the models whose layers a path may use, model A first ('ps' for the parameter-space result)"));
        List<DfsSection.Entry> entries = new ArrayList<>();
        for (YamlNode item : nonEmptyList(modelsNode, "dfs.models")) {
            if (item instanceof YamlScalar s && s.type() == YamlScalar.Type.STRING
                    && s.text().equals(DfsSection.Entry.PS_RESULT)) {
                if (entries.stream().anyMatch(DfsSection.Entry::isPsResult)) {
                    throw s.error("'ps' is listed twice", "list the parameter-space result once");
                }
                entries.add(new DfsSection.Entry(Optional.empty(), s.location()));
            } else {
                entries.add(new DfsSection.Entry(Optional.of(ModelSpecReader.read(item, events)), item.location()));
            }
        }
        DataFlowSettings s = DataFlowSettings.DEFAULTS;
        Optional<YamlNode> repeats = m.getNonNull("repeats");
        if (repeats.isPresent()) {
            s = s.withRepeats(atLeast(repeats.get().asScalar(), "repeats", 1, 1000,
                    "give how often the layers of all models are repeated, for example 3"));
        }
        Optional<YamlNode> scaling = m.getNonNull("scaling");
        if (scaling.isPresent()) {
            YamlScalar v = scaling.get().asScalar();
            s = s.withScaling(YamlEnums.parse(Scaling.class, v.asString(), "dfs.scaling", v.location()));
        }
        Optional<YamlNode> constraints = m.getNonNull("constraints");
        if (constraints.isPresent()) {
            s = s.withConstraints(constraints.get().asScalar().asBoolean());
        }
        Optional<YamlNode> bias = m.getNonNull("initial_bias");
        if (bias.isPresent()) {
            s = s.withInitialBias(finite(bias.get().asScalar(), "initial_bias",
                    "give a number of sigma0 steps, for example 2.0"));
        }
        return new DfsSection(entries, s.at(m.location(), m.keyLocations()), m.location());
    }

    private static SearchSettings search(Optional<YamlNode> node, SourceLocation rootLocation, List<TaskSpec> tasks,
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
        double sigma0 = values.get("sigma0").map(EvolveConfigReader::sigma0).orElse(SearchSettings.DEFAULT_SIGMA0);
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

    private static EvaluationSettings evaluation(Optional<YamlNode> node, SourceLocation rootLocation,
            EventListener events) {
        OptionalSection values = OptionalSection.read(node, "evaluation", EVALUATION_KEYS, rootLocation, events);
        Map<String, SourceLocation> keys = values.keyLocations();
        SourceLocation location = values.location();
        EvaluationSettings.Mode mode = values.get("mode").map(n -> mode(n.asScalar()))
                .orElse(EvaluationSettings.Mode.IN_PROCESS);
        int batch = values.get("batch_size").map(n -> atLeast(n.asScalar(), "batch_size", 1, 65_536,
                "give the requests per forward pass, for example 8")).orElse(8);
        int threads = values.get("threads").map(n -> atLeast(n.asScalar(), "threads", 1, 1024,
                "give the candidates evaluated at once, for example 1")).orElse(1);
        OptionalLong memoryBudget = values.get("memory_budget").map(n -> OptionalLong.of(byteSize(n.asScalar(),
                "give the memory candidates evaluated at once may hold together, for example 16G")))
                .orElse(OptionalLong.empty());
        OptionalInt limit = values.get("limit").map(n -> OptionalInt.of(atLeast(n.asScalar(), "limit", 1,
                Integer.MAX_VALUE, "give the documents per task and split, or leave it out for all")))
                .orElse(OptionalInt.empty());
        Optional<String> command = values.get("command").map(n -> n.asScalar().asText("a command line"));
        Optional<SlurmSettings> slurm = Optional.empty();
        if (mode == EvaluationSettings.Mode.SLURM) {
            slurm = Optional.of(slurm(values.get("slurm"), location, events));
            values.get("command").ifPresent(at -> checkCommand(at, command.get()));
        } else if (values.get("slurm").isPresent()) {
            events.warn("'slurm' is ignored: mode is " + mode.configName(), keys.get("slurm"));
        }
        if (mode == EvaluationSettings.Mode.COMMAND) {
            if (command.isEmpty()) {
                throw new ConfigException(keys.getOrDefault("mode", location), "mode command needs 'command'",
                        "give the command line with {model_dir} and {output}, for example lm_eval --model vllm"
                                + " --model_args pretrained={model_dir} --tasks TASK --output_path {output}");
            }
            checkCommand(values.get("command").orElseThrow(), command.get());
        } else if (command.isPresent() && mode == EvaluationSettings.Mode.IN_PROCESS) {
            events.warn("'command' is ignored: mode is in_process", keys.get("command"));
        }
        Duration timeout = values.get("timeout").map(n -> duration(n.asScalar())).orElse(DEFAULT_TIMEOUT);
        return new EvaluationSettings(mode, batch, threads, memoryBudget, limit, command, timeout, location, keys,
                slurm);
    }

    private static void checkCommand(YamlNode at, String command) {
        try {
            CommandTemplate.parse(command);
        } catch (IllegalArgumentException e) {
            throw at.error("the command is not usable: " + e.getMessage(), "quote as a shell would, and write"
                    + " {model_dir} where the model directory goes and {output} where the results go");
        }
    }

    private static SlurmSettings slurm(Optional<YamlNode> node, SourceLocation evaluation, EventListener events) {
        OptionalSection values = OptionalSection.read(node, "slurm", SLURM_KEYS, evaluation, events);
        Function<String, Optional<String>> text = key -> values.get(key).map(n -> n.asScalar().asString());
        int parallelism = values.get("array_parallelism").map(n -> atLeast(n.asScalar(), "array_parallelism", 1,
                1_000_000, "give how many tasks of a generation may run at once, or leave it out for no cap"))
                .orElse(0);
        int retries = values.get("retries").map(n -> atLeast(n.asScalar(), "retries", 0, 100,
                "give how often a failed task is submitted again, for example 2")).orElse(2);
        List<String> sbatch = values.get("sbatch_args").map(n -> words(n, "an sbatch argument")).orElse(List.of());
        Optional<List<String>> evomerge = values.get("evomerge").map(n -> words(n, "a word of a command line"));
        if (evomerge.isPresent() && evomerge.get().isEmpty()) {
            throw values.get("evomerge").orElseThrow().error("'evomerge' is empty", "give how a node starts"
                    + " evomerge, for example java -jar /shared/evomerge-cli.jar, or leave it out");
        }
        Duration poll = values.get("poll").map(n -> duration(n.asScalar())).orElse(SlurmSettings.DEFAULT_POLL);
        return new SlurmSettings(text.apply("partition"), text.apply("gres"), text.apply("time"), parallelism,
                sbatch, retries, evomerge.orElse(List.of()), poll);
    }

    /** A list of words, or one text split at white space. */
    private static List<String> words(YamlNode n, String what) {
        if (n instanceof YamlScalar s) {
            String t = s.asText(what).strip();
            return t.isEmpty() ? List.of() : List.of(t.split("\\s+"));
        }
        List<String> out = new ArrayList<>();
        for (YamlNode item : n.asSequence().items()) {
            out.add(item.asScalar().asText(what));
        }
        return out;
    }

    private static EvaluationSettings.Mode mode(YamlScalar s) {
        String text = s.asString();
        return YamlEnums.named(EvaluationSettings.Mode.class, text).orElseThrow(
                () -> s.error("unknown evaluation mode '" + text + "'", "use in_process, command or slurm"));
    }
}
