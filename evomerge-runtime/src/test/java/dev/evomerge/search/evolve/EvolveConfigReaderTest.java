package dev.evomerge.search.evolve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.evomerge.config.ModelSpec;
import dev.evomerge.config.TokenizerSetting;
import dev.evomerge.diag.SourceLocation;
import dev.evomerge.event.Event;
import dev.evomerge.model.ModelReference;
import dev.evomerge.search.space.DataFlowSettings;
import dev.evomerge.search.space.GenomeDefinition;
import dev.evomerge.search.space.InitialPoint;
import dev.evomerge.search.space.Scaling;
import dev.evomerge.tensor.DType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Reading {@code evolve.yml}: the complete example of {@code docs/evolve-config.md} (read from the doc itself, so
 * the two cannot drift apart), a mergekit-evolve config as it is written for mergekit-evolve, every default, the
 * stages each combination of sections runs, and the warnings for unknown keys. The mistakes are in
 * {@link EvolveConfigErrorsTest}.
 */
class EvolveConfigReaderTest {

    private static final Path DOC = Path.of("..", "docs", "evolve-config.md");

    @TempDir
    Path dir;

    private final List<String> warnings = new ArrayList<>();

    @BeforeEach
    void taskFiles() throws IOException {
        Files.createDirectories(dir.resolve("tasks"));
        Files.writeString(dir.resolve("tasks/ja_math.yaml"), "task: ja_math\n");
        Files.writeString(dir.resolve("tasks/words.yaml"), "task: words\n");
    }

    private EvolveConfig read(String yaml) throws IOException {
        Path file = dir.resolve("evolve.yml");
        Files.writeString(file, yaml);
        return EvolveConfigReader.read(file, e -> warnings.add(((Event.Warning) e).text()
                .replace(dir + "/", "")));
    }

    private SourceLocation at(int line, int column, String path) {
        return new SourceLocation(dir.resolve("evolve.yml"), line, column, path);
    }

    /** The first {@code yaml} block after "## A complete example" in the doc. */
    private static String completeExample() throws IOException {
        String doc = Files.readString(DOC);
        int section = doc.indexOf("## A complete example");
        assertTrue(section >= 0, "docs/evolve-config.md has no complete example");
        int start = doc.indexOf("```yaml\n", section) + "```yaml\n".length();
        return doc.substring(start, doc.indexOf("```", start));
    }

    /** The 1-based line and column where {@code text} first appears in {@code yaml}. */
    private SourceLocation find(String yaml, String text, String path) {
        int offset = yaml.indexOf(text);
        assertTrue(offset >= 0, text);
        int line = (int) yaml.substring(0, offset).chars().filter(c -> c == '\n').count() + 1;
        return at(line, offset - yaml.lastIndexOf('\n', offset - 1), path);
    }

    @Test
    void read_exampleOfTheReadme_hybridRunWithoutWarnings() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"));
        int start = readme.indexOf("```yaml\ngenome:");
        assertTrue(start >= 0, "the README has no evolve example");
        start += "```yaml\n".length();
        EvolveConfig c = read(readme.substring(start, readme.indexOf("```", start)));
        assertEquals(List.of(), warnings);
        assertEquals(EvolveConfig.Stages.HYBRID, c.stages());
        assertEquals("dare_ties", c.genome().orElseThrow().mergeMethod());
        assertEquals(OptionalLong.of(16_000_000_000L), c.evaluation().memoryBudget());
        assertEquals(2, c.evaluation().threads());
    }

    @Test
    void read_completeExampleOfTheDocs_givesEveryValue() throws IOException {
        String yaml = completeExample();
        EvolveConfig c = read(yaml);

        assertEquals(List.of(), warnings);
        assertEquals(dir.resolve("evolve.yml"), c.file());
        assertEquals(EvolveConfig.Stages.HYBRID, c.stages());

        GenomeDefinition g = c.genome().orElseThrow();
        assertEquals(List.of(ModelSpec.of("models/math"), ModelSpec.of("models/ja")), g.models());
        assertEquals(find(yaml, "models/math", "genome.models[0]"), g.models().getFirst().location());
        assertEquals("dare_ties", g.mergeMethod());
        assertEquals(find(yaml, "dare_ties", "genome.merge_method"), g.locationOf("merge_method"));
        assertEquals(Optional.of(ModelSpec.of("models/base")), g.baseModel());
        assertEquals(0, g.layerGranularity());
        assertEquals(Optional.empty(), g.normalize());
        assertFalse(g.allowNegativeWeights());
        assertEquals(List.of("self_attn", "mlp"), g.filters());
        assertFalse(g.smooth());
        assertEquals(Optional.empty(), g.tokenizerSource());
        assertEquals(DType.BF16, g.dtype().dtype());
        assertEquals(find(yaml, "filters:", "genome.filters"), g.locationOf("filters"));

        assertEquals(1, c.tasks().size());
        TaskSpec t = c.tasks().getFirst();
        assertEquals(dir.resolve("tasks/ja_math.yaml"), t.file());
        assertEquals(1.0, t.weight());
        assertEquals("exact_match,strict-match", t.metric());
        assertFalse(t.lowerIsBetter());
        assertEquals(Optional.of("train"), t.searchSplit());
        assertEquals(Optional.of("validation"), t.validationSplit());
        assertEquals(Optional.of("test"), t.testSplit());
        assertEquals(find(yaml, "file: tasks/ja_math.yaml", "tasks[0]"), t.location());

        DfsSection d = c.dfs().orElseThrow();
        assertEquals(2, d.models().size());
        assertTrue(d.models().get(0).isPsResult());
        assertEquals(find(yaml, "ps, models/ja]", "dfs.models[0]"), d.models().get(0).location());
        assertEquals(Optional.of(ModelSpec.of("models/ja")), d.models().get(1).model());
        assertTrue(d.usesPsResult());
        DataFlowSettings s = d.settings();
        assertEquals(3, s.repeats());
        assertEquals(Scaling.MATRIX, s.scaling());
        assertTrue(s.constraints());
        assertEquals(2.0, s.initialBias());
        assertEquals(find(yaml, "scaling:", "dfs.scaling"), s.locationOf("scaling"));

        SearchSettings search = c.search();
        assertEquals(OptimizerKind.CMAES, search.optimizer());
        assertEquals(OptionalInt.empty(), search.population());
        assertEquals(0.1667, search.sigma0());
        assertEquals(InitialPoint.MERGEKIT, search.initial());
        assertEquals(OptionalLong.of(1000), search.budget().evaluations());
        assertEquals(OptionalLong.empty(), search.budget().generations());
        assertEquals(Optional.of(Duration.ofHours(2)), search.budget().wallTime());
        assertEquals(0, search.seed());
        assertEquals(List.of(), search.objectives());
        assertEquals(OptionalInt.of(200), search.subset());
        assertFalse(search.pathLengthObjective());
        assertEquals(find(yaml, "optimizer:", "search.optimizer"), search.locationOf("optimizer"));

        EvaluationSettings e = c.evaluation();
        assertEquals(EvaluationSettings.Mode.IN_PROCESS, e.mode());
        assertEquals(8, e.batchSize());
        assertEquals(2, e.threads());
        assertEquals(OptionalLong.of(16_000_000_000L), e.memoryBudget());
        assertEquals(OptionalInt.empty(), e.limit());
        assertEquals(Optional.empty(), e.command());
        assertEquals(Duration.ofMinutes(30), e.timeout());
        assertEquals(find(yaml, "threads:", "evaluation.threads"), e.locationOf("threads"));
    }

    /** A config written for mergekit-evolve (mergekit-semantics.md §5.1): genome keys and task names. */
    @Test
    void read_mergekitEvolveConfig_runsUnchanged() throws IOException {
        Files.writeString(dir.resolve("my_task.yaml"), "task: my_task\n");
        Files.writeString(dir.resolve("other_task.yml"), "task: other_task\n");
        EvolveConfig c = read("""
                genome:
                  models:
                    - org/math-7b
                    - org/ja-7b
                  merge_method: ties
                  base_model: org/base-7b
                  tokenizer_source: null
                  layer_granularity: 8
                  normalize: null
                  allow_negative_weights: false
                  filters: [self_attn, mlp]
                  smooth: false
                tasks:
                  - name: my_task
                    weight: 1.0
                    metric: "acc,none"
                  - other_task
                """);

        assertEquals(List.of(), warnings);
        assertEquals(EvolveConfig.Stages.PS, c.stages());
        GenomeDefinition g = c.genome().orElseThrow();
        assertEquals(List.of(ModelSpec.of("org/math-7b"), ModelSpec.of("org/ja-7b")), g.models());
        assertEquals("ties", g.mergeMethod());
        assertEquals(Optional.of(ModelSpec.of("org/base-7b")), g.baseModel());
        assertEquals(8, g.layerGranularity());
        assertEquals(List.of("self_attn", "mlp"), g.filters());
        assertEquals(DType.BF16, g.dtype().dtype());
        assertEquals(List.of(dir.resolve("my_task.yaml"), dir.resolve("other_task.yml")),
                c.tasks().stream().map(TaskSpec::file).toList());
        assertEquals(List.of("acc,none", "acc,none"), c.tasks().stream().map(TaskSpec::metric).toList());
        assertEquals(OptimizerKind.CMAES, c.search().optimizer());
        assertEquals(SearchSettings.DEFAULT_SIGMA0, c.search().sigma0());
    }

    @Test
    void read_onlyRequiredSections_takesEveryDefault() throws IOException {
        EvolveConfig c = read("""
                genome:
                  models: [models/a, models/b]
                  merge_method: linear
                tasks: [tasks/words.yaml]
                """);

        GenomeDefinition g = c.genome().orElseThrow();
        assertEquals(Optional.empty(), g.baseModel());
        assertEquals(0, g.layerGranularity());
        assertEquals(Optional.empty(), g.normalize());
        assertFalse(g.allowNegativeWeights());
        assertEquals(List.of(), g.filters());
        assertFalse(g.smooth());
        assertEquals("bfloat16", g.dtype().name());
        assertEquals(at(2, 3, "genome"), g.locationOf("filters"));

        TaskSpec t = c.tasks().getFirst();
        assertEquals(new TaskSpec(dir.resolve("tasks/words.yaml"), 1.0, "acc,none", false, Optional.empty(),
                Optional.empty(), Optional.empty(), at(4, 9, "tasks[0]")), t);
        assertEquals(at(4, 9, "tasks[0]"), t.location());

        SearchSettings s = c.search();
        assertEquals(OptimizerKind.CMAES, s.optimizer());
        assertEquals(OptionalInt.empty(), s.population());
        assertEquals(1.0 / 6.0, s.sigma0());
        assertEquals(InitialPoint.MERGEKIT, s.initial());
        assertEquals(new SearchSettings.Budget(OptionalLong.of(1000), OptionalLong.empty(), Optional.empty()),
                s.budget());
        assertEquals(0, s.seed());
        assertEquals(List.of(), s.objectives());
        assertEquals(OptionalInt.empty(), s.subset());
        assertFalse(s.pathLengthObjective());
        assertEquals(at(1, 1, ""), s.locationOf("seed"));

        EvaluationSettings e = c.evaluation();
        assertEquals(EvaluationSettings.Mode.IN_PROCESS, e.mode());
        assertEquals(8, e.batchSize());
        assertEquals(1, e.threads());
        assertEquals(OptionalLong.empty(), e.memoryBudget());
        assertEquals(OptionalInt.empty(), e.limit());
        assertEquals(Optional.empty(), e.command());
        assertEquals(Duration.ofMinutes(30), e.timeout());
    }

    @Test
    void read_dfsWithModelsOnly_takesTheDataFlowDefaults() throws IOException {
        EvolveConfig c = read("""
                dfs:
                  models: [models/a, {model: models/b, override_architecture: LlamaForCausalLM}]
                tasks: [tasks/words.yaml]
                """);

        DfsSection d = c.dfs().orElseThrow();
        assertEquals(3, d.settings().repeats());
        assertEquals(Scaling.MATRIX, d.settings().scaling());
        assertTrue(d.settings().constraints());
        assertEquals(2.0, d.settings().initialBias());
        assertEquals(at(2, 3, "dfs"), d.location());
        assertEquals(at(2, 3, "dfs.models"), d.settings().locationOf("models"));
        assertEquals(new ModelSpec(ModelReference.of("models/b"), "LlamaForCausalLM", at(2, 29, "dfs.models[1]")),
                d.models().get(1).model().orElseThrow());
        assertEquals("LlamaForCausalLM", d.models().get(1).model().orElseThrow().overrideArchitecture());
        assertFalse(d.usesPsResult());
    }

    @Test
    void stages_genomeOnly_isParameterSpace() throws IOException {
        assertEquals(EvolveConfig.Stages.PS, read("""
                genome: {models: [a, b], merge_method: linear}
                tasks: [tasks/words.yaml]
                """).stages());
    }

    @Test
    void stages_dfsOnly_isDataFlowSpace() throws IOException {
        assertEquals(EvolveConfig.Stages.DFS, read("""
                dfs: {models: [a, b]}
                tasks: [tasks/words.yaml]
                """).stages());
    }

    @Test
    void stages_genomeAndDfsWithPs_isHybrid() throws IOException {
        EvolveConfig c = read("""
                genome: {models: [a, b], merge_method: linear}
                dfs: {models: [ps, b]}
                tasks: [tasks/words.yaml]
                """);
        assertEquals(EvolveConfig.Stages.HYBRID, c.stages());
        assertEquals(List.of(), warnings);
    }

    @Test
    void stages_genomeAndDfsWithoutPs_isDataFlowSpaceAndWarns() throws IOException {
        EvolveConfig c = read("""
                genome: {models: [a, b], merge_method: linear}
                dfs: {models: [a, b]}
                tasks: [tasks/words.yaml]
                """);
        assertEquals(EvolveConfig.Stages.DFS, c.stages());
        assertEquals(List.of("evolve.yml:1:1 (genome): the genome: section is not searched: dfs.models does not"
                + " list 'ps' (the parameter-space result)"), warnings);
    }

    @Test
    void read_severalObjectivesWithoutOptimizer_choosesNsga2() throws IOException {
        EvolveConfig c = read("""
                dfs: {models: [a, b]}
                tasks: [tasks/words.yaml, tasks/ja_math.yaml]
                search: {objectives: [words, ja_math]}
                """);
        assertEquals(OptimizerKind.NSGA2, c.search().optimizer());
        assertEquals(List.of("words", "ja_math"), c.search().objectives());
    }

    @Test
    void read_oneObjectiveWithoutOptimizer_keepsCmaes() throws IOException {
        EvolveConfig c = read("""
                dfs: {models: [a, b]}
                tasks: [tasks/words.yaml]
                search: {objectives: [words]}
                """);
        assertEquals(OptimizerKind.CMAES, c.search().optimizer());
    }

    @Test
    void read_pathLengthObjectiveWithoutOptimizer_choosesNsga2() throws IOException {
        EvolveConfig c = read("""
                dfs: {models: [a, b]}
                tasks: [tasks/words.yaml]
                search: {path_length_objective: true}
                """);
        assertEquals(OptimizerKind.NSGA2, c.search().optimizer());
        assertTrue(c.search().pathLengthObjective());
    }

    @ParameterizedTest
    @CsvSource({"90s, 90", "30m, 1800", "2h, 7200", "1h30m, 5400", "1h2m3s, 3723", "45, 45", "2.5, 2.5"})
    void read_durations_giveSeconds(String written, double seconds) throws IOException {
        EvolveConfig c = read("""
                dfs: {models: [a, b]}
                tasks: [tasks/words.yaml]
                search: {budget: {wall_time: %s}}
                evaluation: {timeout: %s}
                """.formatted(written, written));
        Duration expected = Duration.ofMillis(Math.round(seconds * 1000));
        assertEquals(Optional.of(expected), c.search().budget().wallTime());
        assertEquals(OptionalLong.empty(), c.search().budget().evaluations());
        assertEquals(expected, c.evaluation().timeout());
    }

    @Test
    void read_everyKeyGiven_keepsEveryValue() throws IOException {
        EvolveConfig c = read("""
                genome:
                  models: [a, b]
                  merge_method: task_arithmetic
                  base_model: base
                  layer_granularity: 4
                  normalize: true
                  allow_negative_weights: true
                  smooth: true
                  tokenizer_source: base
                  dtype: float32
                dfs: {models: [ps, a], repeats: 2, scaling: per_step, constraints: false, initial_bias: -1.5}
                tasks:
                  - {file: tasks/words.yaml, weight: -2, metric: "perplexity,none", lower_is_better: true,
                     splits: {search: validation}}
                search:
                  optimizer: ga
                  population: 12
                  sigma0: 0.3
                  initial: sakana
                  budget: {evaluations: 50, generations: 5}
                  seed: -7
                  subset: 3
                evaluation:
                  mode: command
                  batch_size: 4
                  threads: 3
                  memory_budget: 12G
                  limit: 10
                  command: "lm_eval --model hf --model_args pretrained={model_dir} --output_path '{output}'"
                  timeout: 10m
                """);
        GenomeDefinition g = c.genome().orElseThrow();
        assertEquals(4, g.layerGranularity());
        assertEquals(Optional.of(true), g.normalize());
        assertTrue(g.allowNegativeWeights());
        assertTrue(g.smooth());
        assertEquals(new TokenizerSetting.Base(), g.tokenizerSource().orElseThrow().source());
        assertEquals(DType.F32, g.dtype().dtype());
        DataFlowSettings d = c.dfs().orElseThrow().settings();
        assertEquals(List.of(2, Scaling.PER_STEP, false, -1.5),
                List.of(d.repeats(), d.scaling(), d.constraints(), d.initialBias()));
        TaskSpec t = c.tasks().getFirst();
        assertEquals(-2.0, t.weight());
        assertEquals("perplexity,none", t.metric());
        assertTrue(t.lowerIsBetter());
        assertEquals(Optional.of("validation"), t.searchSplit());
        assertEquals(Optional.empty(), t.validationSplit());
        SearchSettings s = c.search();
        assertEquals(OptimizerKind.GA, s.optimizer());
        assertEquals(OptionalInt.of(12), s.population());
        assertEquals(0.3, s.sigma0());
        assertEquals(InitialPoint.SAKANA, s.initial());
        assertEquals(new SearchSettings.Budget(OptionalLong.of(50), OptionalLong.of(5), Optional.empty()),
                s.budget());
        assertEquals(-7, s.seed());
        assertEquals(OptionalInt.of(3), s.subset());
        assertEquals(93, c.withSeed(93).search().seed());
        EvaluationSettings e = c.evaluation();
        assertEquals(EvaluationSettings.Mode.COMMAND, e.mode());
        assertEquals(List.of(4, 3, OptionalLong.of(12_000_000_000L), OptionalInt.of(10), Duration.ofMinutes(10)),
                List.of(e.batchSize(), e.threads(), e.memoryBudget(), e.limit(), e.timeout()));
        assertEquals(Optional.of("lm_eval --model hf --model_args pretrained={model_dir} --output_path '{output}'"),
                e.command());
        assertEquals(List.of(), warnings);
    }

    @Test
    void read_taskPathRelative_resolvesAgainstTheConfigsDirectory() throws IOException {
        Path conf = Files.createDirectories(dir.resolve("conf"));
        Path file = conf.resolve("evolve.yml");
        Files.writeString(file, "dfs: {models: [a, b]}\ntasks: [../tasks/words.yaml]\n");
        EvolveConfig c = EvolveConfigReader.read(file, e -> warnings.add(e.toString()));
        assertEquals(dir.resolve("tasks/words.yaml"), c.tasks().getFirst().file());
        assertEquals(file, c.file());
    }

    @Test
    void parse_text_readsAsIfItWereTheFile() {
        EvolveConfig c = EvolveConfigReader.parse("dfs: {models: [a, b]}\ntasks: [tasks/words.yaml]\n",
                dir.resolve("evolve.yml"), e -> warnings.add(e.toString()));
        assertEquals(dir.resolve("tasks/words.yaml"), c.tasks().getFirst().file());
        assertEquals(List.of(), warnings);
    }

    @Test
    void read_unknownKeys_warnAtTheirPlaces() throws IOException {
        read("""
                genome: {models: [a, b], merge_method: linear, granularity: 2}
                dfs: {models: [ps, b], repeat: 2}
                tasks:
                  - file: tasks/words.yaml
                    wieght: 2
                    splits: {train: train}
                search: {budget: {evals: 3, generations: 2}, pop: 3}
                evaluation: {batch: 4}
                random_init: true
                """);
        assertEquals(List.of(
                "evolve.yml:9:1 (random_init): unknown key 'random_init' is ignored",
                "evolve.yml:1:48 (genome.granularity): unknown key 'granularity' is ignored",
                "evolve.yml:2:24 (dfs.repeat): unknown key 'repeat' is ignored",
                "evolve.yml:5:5 (tasks[0].wieght): unknown key 'wieght' is ignored",
                "evolve.yml:6:14 (tasks[0].splits.train): unknown key 'train' is ignored",
                "evolve.yml:7:46 (search.pop): unknown key 'pop' is ignored",
                "evolve.yml:7:19 (search.budget.evals): unknown key 'evals' is ignored",
                "evolve.yml:8:14 (evaluation.batch): unknown key 'batch' is ignored"), warnings);
    }

    @Test
    void read_genomeTokenizerBlock_isReadWithoutWarning() throws IOException {
        EvolveConfig c = read("""
                genome:
                  models: [a, b]
                  merge_method: linear
                  tokenizer: {source: b}
                tasks: [tasks/words.yaml]
                """);
        TokenizerSetting t = c.genome().orElseThrow().tokenizerSource().orElseThrow();
        assertEquals(Optional.of(ModelSpec.of("b")), t.model());
        assertFalse(t.legacyKey());
        assertEquals(List.of(), warnings);
    }

    @Test
    void read_commandInProcessMode_warnsThatItIsIgnored() throws IOException {
        EvolveConfig c = read("""
                dfs: {models: [a, b]}
                tasks: [tasks/words.yaml]
                evaluation: {command: "lm_eval {model_dir} {output}"}
                """);
        assertEquals(List.of("evolve.yml:3:14 (evaluation.command): 'command' is ignored: mode is in_process"),
                warnings);
        assertEquals(EvaluationSettings.Mode.IN_PROCESS, c.evaluation().mode());
    }

    @Test
    void read_perStageSigma0_eachStageItsOwnElseTheSearchOne() throws IOException {
        SearchSettings s = read("""
                genome: {models: [a, b], merge_method: linear}
                dfs: {models: [ps, a]}
                tasks: [tasks/words.yaml]
                search:
                  sigma0: 0.2
                  ps: {sigma0: 0.6}
                """).search();
        assertEquals(0.2, s.sigma0());
        assertEquals(0.6, s.sigma0(Stage.PS));
        assertEquals(0.2, s.sigma0(Stage.DFS));
        SearchSettings both = read("""
                dfs: {models: [a, b]}
                tasks: [tasks/words.yaml]
                search:
                  ps: {sigma0: 0.6}
                  dfs: {sigma0: 0.05}
                """).search();
        assertEquals(SearchSettings.DEFAULT_SIGMA0, both.sigma0());
        assertEquals(0.6, both.sigma0(Stage.PS));
        assertEquals(0.05, both.sigma0(Stage.DFS));
    }
}
