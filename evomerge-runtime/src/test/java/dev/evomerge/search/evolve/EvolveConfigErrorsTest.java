package dev.evomerge.search.evolve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.evomerge.diag.ConfigException;
import dev.evomerge.event.EventListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every mistake an {@code evolve.yml} can hold that the file alone shows, each with its exact one-line message:
 * file, line, column, key path, what is wrong and what to do. Task files are real files in a temporary directory
 * (the reader checks that they exist); messages are shown relative to it.
 */
class EvolveConfigErrorsTest {

    @TempDir
    Path dir;

    @BeforeEach
    void taskFiles() throws IOException {
        Files.createDirectories(dir.resolve("tasks"));
        Files.writeString(dir.resolve("tasks/t.yaml"), "task: t\n");
        Files.writeString(dir.resolve("tasks/u.yaml"), "task: u\n");
    }

    private String error(String yaml) throws IOException {
        Path file = dir.resolve("evolve.yml");
        Files.writeString(file, yaml);
        ConfigException e = assertThrows(ConfigException.class, () -> EvolveConfigReader.read(file,
                EventListener.NONE));
        return e.userMessage().replace(dir + "/", "");
    }

    @Test
    void read_rootNotMapping_refused() throws IOException {
        assertEquals("evolve.yml:1:1: an evolve config must be a mapping (key: value) but is a list; start from the "
                + "example in docs/evolve-config.md",
                error("""
                - a
                - b
                """));
    }

    @Test
    void read_neitherGenomeNorDfs_refused() throws IOException {
        assertEquals("evolve.yml:1:1: an evolve config needs 'genome' (parameter space), 'dfs' (data-flow space) or "
                + "both; add a genome: section as mergekit-evolve writes it, or a dfs: section",
                error("""
                tasks: [tasks/t.yaml]
                search: {seed: 1}
                """));
    }

    @Test
    void read_psWithoutGenome_refused() throws IOException {
        assertEquals("evolve.yml:2:15 (dfs.models[1]): 'ps' stands for the parameter-space result, but there is no "
                + "'genome' section; add a genome: section, or list model references only",
                error("""
                dfs:
                  models: [a, ps]
                tasks: [tasks/t.yaml]
                """));
    }

    @Test
    void read_psTwice_refused() throws IOException {
        assertEquals("evolve.yml:2:23 (dfs.models[2]): 'ps' is listed twice; list the parameter-space result once",
                error("""
                genome: {models: [a], merge_method: linear}
                dfs: {models: [ps, a, ps]}
                tasks: [tasks/t.yaml]
                """));
    }

    @Test
    void read_tasksMissing_refused() throws IOException {
        assertEquals("evolve.yml:1:1: 'tasks' is required; list the task files candidates are scored on, for example "
                + "tasks: [tasks/math.yaml]",
                error("""
                dfs: {models: [a, b]}
                """));
    }

    @Test
    void read_tasksNotList_refused() throws IOException {
        assertEquals("evolve.yml:2:8 (tasks): 'tasks' must be a list but is the text 'tasks/t.yaml'; write each "
                + "entry on its own line starting with '- '",
                error("""
                dfs: {models: [a, b]}
                tasks: tasks/t.yaml
                """));
    }

    @Test
    void read_tasksEmpty_refused() throws IOException {
        assertEquals("evolve.yml:2:8 (tasks): 'tasks' is empty; list at least one entry",
                error("""
                dfs: {models: [a, b]}
                tasks: []
                """));
    }

    @Test
    void read_taskEntryWithoutFile_refused() throws IOException {
        assertEquals("evolve.yml:3:5 (tasks[0]): a task entry needs 'file'; give the task file, for example file: "
                + "tasks/math.yaml",
                error("""
                dfs: {models: [a, b]}
                tasks:
                  - weight: 2
                """));
    }

    @Test
    void read_taskEntryList_refused() throws IOException {
        assertEquals("evolve.yml:3:5 (tasks[0]): a task entry must be a file name or a mapping but is a list; write "
                + "the task file, or file: with weight:, metric: and splits:",
                error("""
                dfs: {models: [a, b]}
                tasks:
                  - [tasks/t.yaml, 2]
                """));
    }

    @Test
    void read_taskFileAndName_refused() throws IOException {
        assertEquals("evolve.yml:4:5 (tasks[0].name): a task entry has both 'file' and 'name'; keep file: (the task "
                + "file); name: is mergekit-evolve's spelling of the same",
                error("""
                dfs: {models: [a, b]}
                tasks:
                  - file: tasks/t.yaml
                    name: t
                """));
    }

    @Test
    void read_taskFileMissing_refused() throws IOException {
        assertEquals("evolve.yml:4:11 (tasks[1].file): task file tasks/nope.yaml does not exist; give the path of an "
                + "lm-evaluation-harness style task file, relative to this config's directory",
                error("""
                dfs: {models: [a, b]}
                tasks:
                  - tasks/t.yaml
                  - file: tasks/nope.yaml
                """));
    }

    @Test
    void read_taskNameMissing_refused() throws IOException {
        assertEquals("evolve.yml:3:11 (tasks[0].name): task file nope does not exist (nor nope.yaml or nope.yml next "
                + "to it); give the path of an lm-evaluation-harness style task file, relative to this config's "
                + "directory",
                error("""
                dfs: {models: [a, b]}
                tasks:
                  - name: nope
                """));
    }

    @Test
    void read_taskFileNotText_refused() throws IOException {
        assertEquals("evolve.yml:2:9 (tasks[0]): expected a task file path but found the value 5; put it in quotes "
                + "if it is meant as text",
                error("""
                dfs: {models: [a, b]}
                tasks: [5]
                """));
    }

    @Test
    void read_taskWeightInfinite_refused() throws IOException {
        assertEquals("evolve.yml:3:34 (tasks[0].weight): 'weight' must be a finite number but is .inf; give the "
                + "task's weight in the fitness sum, for example 1.0",
                error("""
                dfs: {models: [a, b]}
                tasks:
                  - {file: tasks/t.yaml, weight: .inf}
                """));
    }

    @Test
    void read_taskWeightText_refused() throws IOException {
        assertEquals("evolve.yml:3:34 (tasks[0].weight): expected a number but found the text 'heavy'",
                error("""
                dfs: {models: [a, b]}
                tasks:
                  - {file: tasks/t.yaml, weight: heavy}
                """));
    }

    @Test
    void read_taskMetricEmpty_refused() throws IOException {
        assertEquals("evolve.yml:3:34 (tasks[0].metric): 'metric' is empty; give a metric key such as "
                + "\"exact_match,strict-match\"",
                error("""
                dfs: {models: [a, b]}
                tasks:
                  - {file: tasks/t.yaml, metric: ""}
                """));
    }

    @Test
    void read_taskLowerIsBetterNotBoolean_refused() throws IOException {
        assertEquals("evolve.yml:3:43 (tasks[0].lower_is_better): expected true or false but found the text 'maybe'",
                error("""
                dfs: {models: [a, b]}
                tasks:
                  - {file: tasks/t.yaml, lower_is_better: maybe}
                """));
    }

    @Test
    void read_taskSplitsList_refused() throws IOException {
        assertEquals("evolve.yml:3:34 (tasks[0].splits): 'splits' must be a mapping (key: value) but is a list; "
                + "write its keys on the lines below it, indented, as in docs/evolve-config.md",
                error("""
                dfs: {models: [a, b]}
                tasks:
                  - {file: tasks/t.yaml, splits: [train]}
                """));
    }

    @Test
    void read_genomeNotMapping_refused() throws IOException {
        assertEquals("evolve.yml:1:9 (genome): 'genome' must be a mapping (key: value) but is a list; write its keys "
                + "on the lines below it, indented, as in docs/evolve-config.md",
                error("""
                genome: [a, b]
                tasks: [tasks/t.yaml]
                """));
    }

    @Test
    void read_genomeModelsMissing_refused() throws IOException {
        assertEquals("evolve.yml:2:3 (genome): 'genome.models' is required; list the models whose parameters are "
                + "searched",
                error("""
                genome:
                  merge_method: linear
                tasks: [tasks/t.yaml]
                """));
    }

    @Test
    void read_genomeModelsEmpty_refused() throws IOException {
        assertEquals("evolve.yml:2:11 (genome.models): 'genome.models' is empty; list at least one entry",
                error("""
                genome:
                  models: []
                  merge_method: linear
                tasks: [tasks/t.yaml]
                """));
    }

    @Test
    void read_genomeMethodMissing_refused() throws IOException {
        assertEquals("evolve.yml:2:3 (genome): 'genome.merge_method' is required; name a merge method, for example "
                + "merge_method: dare_ties",
                error("""
                genome:
                  models: [a, b]
                tasks: [tasks/t.yaml]
                """));
    }

    @Test
    void read_genomeMethodNotText_refused() throws IOException {
        assertEquals("evolve.yml:3:17 (genome.merge_method): expected a merge method name but found the value 5; put "
                + "it in quotes if it is meant as text",
                error("""
                genome:
                  models: [a, b]
                  merge_method: 5
                tasks: [tasks/t.yaml]
                """));
    }

    @Test
    void read_genomeModelBadReference_refused() throws IOException {
        assertEquals("evolve.yml:2:15 (genome.models[1]): Invalid model path 'b@x@y': more than one '@'; write "
                + "path[@revision][+lora_path[@revision]], or a mapping with 'model' (and optionally 'lora' and "
                + "'override_architecture')",
                error("""
                genome:
                  models: [a, "b@x@y"]
                  merge_method: linear
                tasks: [tasks/t.yaml]
                """));
    }

    @Test
    void read_genomeGranularityNegative_refused() throws IOException {
        assertEquals("evolve.yml:4:22 (genome.layer_granularity): 'layer_granularity' must be at least 0 but is -4; "
                + "give the layers per group (a divisor of the layer count), or 0 for one parameter set for all "
                + "layers",
                error("""
                genome:
                  models: [a, b]
                  merge_method: linear
                  layer_granularity: -4
                tasks: [tasks/t.yaml]
                """));
    }

    @Test
    void read_genomeNormalizeNotBoolean_refused() throws IOException {
        assertEquals("evolve.yml:4:14 (genome.normalize): expected true or false but found the text 'sometimes'",
                error("""
                genome:
                  models: [a, b]
                  merge_method: linear
                  normalize: sometimes
                tasks: [tasks/t.yaml]
                """));
    }

    @Test
    void read_genomeDtypeUnknown_refused() throws IOException {
        assertEquals("evolve.yml:4:10 (genome.dtype): Unimplemented dtype \"bf16\"; did you mean bfloat16? use "
                + "bfloat16, float16, float32 or int64 (optionally prefixed with torch.)",
                error("""
                genome:
                  models: [a, b]
                  merge_method: linear
                  dtype: bf16
                tasks: [tasks/t.yaml]
                """));
    }

    @Test
    void read_genomeTokenizerUnion_refused() throws IOException {
        assertEquals("evolve.yml:4:21 (genome.tokenizer_source): tokenizer_source 'union' is not supported yet; use "
                + "'base' (the base model's tokenizer) or a model reference",
                error("""
                genome:
                  models: [a, b]
                  merge_method: linear
                  tokenizer_source: union
                tasks: [tasks/t.yaml]
                """));
    }

    @Test
    void read_genomeFiltersNotList_refused() throws IOException {
        assertEquals("evolve.yml:4:12 (genome.filters): 'genome.filters' must be a list but is the text 'mlp'; write "
                + "each entry on its own line starting with '- '",
                error("""
                genome:
                  models: [a, b]
                  merge_method: linear
                  filters: mlp
                tasks: [tasks/t.yaml]
                """));
    }

    @Test
    void read_dfsModelsMissing_refused() throws IOException {
        assertEquals("evolve.yml:2:3 (dfs): 'dfs.models' is required; list the models whose layers a path may use, "
                + "model A first ('ps' for the parameter-space result)",
                error("""
                dfs:
                  repeats: 2
                tasks: [tasks/t.yaml]
                """));
    }

    @Test
    void read_dfsModelsEmpty_refused() throws IOException {
        assertEquals("evolve.yml:2:11 (dfs.models): 'dfs.models' is empty; list at least one entry",
                error("""
                dfs:
                  models: []
                tasks: [tasks/t.yaml]
                """));
    }

    @Test
    void read_dfsRepeatsZero_refused() throws IOException {
        assertEquals("evolve.yml:3:12 (dfs.repeats): 'repeats' must be at least 1 but is 0; give how often the "
                + "layers of all models are repeated, for example 3",
                error("""
                dfs:
                  models: [a, b]
                  repeats: 0
                tasks: [tasks/t.yaml]
                """));
    }

    @Test
    void read_dfsRepeatsFraction_refused() throws IOException {
        assertEquals("evolve.yml:3:12 (dfs.repeats): expected a whole number but found 2.5",
                error("""
                dfs:
                  models: [a, b]
                  repeats: 2.5
                tasks: [tasks/t.yaml]
                """));
    }

    @Test
    void read_dfsScalingUnknown_refused() throws IOException {
        assertEquals("evolve.yml:3:12 (dfs.scaling): unknown dfs.scaling 'full'; use one of matrix, per_step, none",
                error("""
                dfs:
                  models: [a, b]
                  scaling: full
                tasks: [tasks/t.yaml]
                """));
    }

    @Test
    void read_dfsInitialBiasNan_refused() throws IOException {
        assertEquals("evolve.yml:3:17 (dfs.initial_bias): 'initial_bias' must be a finite number but is .nan; give a "
                + "number of sigma0 steps, for example 2.0",
                error("""
                dfs:
                  models: [a, b]
                  initial_bias: .nan
                tasks: [tasks/t.yaml]
                """));
    }

    @Test
    void read_searchNotMapping_refused() throws IOException {
        assertEquals("evolve.yml:3:9 (search): 'search' must be a mapping (key: value) but is the text 'cmaes'; "
                + "write its keys on the lines below it, indented, as in docs/evolve-config.md",
                error("""
                dfs: {models: [a, b]}
                tasks: [tasks/t.yaml]
                search: cmaes
                """));
    }

    @Test
    void read_optimizerUnknown_refused() throws IOException {
        assertEquals("evolve.yml:4:14 (search.optimizer): unknown optimizer 'pso'; use one of cmaes, ga, nsga2",
                error("""
                dfs: {models: [a, b]}
                tasks: [tasks/t.yaml]
                search:
                  optimizer: pso
                """));
    }

    @Test
    void read_cmaesWithSeveralObjectives_refused() throws IOException {
        assertEquals("evolve.yml:4:14 (search.optimizer): cmaes searches one objective, but 'objectives' names 2; "
                + "use optimizer: nsga2, or name one objective",
                error("""
                dfs: {models: [a, b]}
                tasks: [tasks/t.yaml, tasks/u.yaml]
                search:
                  optimizer: cmaes
                  objectives: [t, u]
                """));
    }

    @Test
    void read_objectivesEmpty_refused() throws IOException {
        assertEquals("evolve.yml:4:15 (search.objectives): 'search.objectives' is empty; list at least one entry",
                error("""
                dfs: {models: [a, b]}
                tasks: [tasks/t.yaml]
                search:
                  objectives: []
                """));
    }

    @Test
    void read_populationOne_refused() throws IOException {
        assertEquals("evolve.yml:4:15 (search.population): 'population' must be at least 2 but is 1; a generation "
                + "needs two candidates or more; leave it out for the optimizer's default",
                error("""
                dfs: {models: [a, b]}
                tasks: [tasks/t.yaml]
                search:
                  population: 1
                """));
    }

    @Test
    void read_nsga2PopulationThree_refused() throws IOException {
        assertEquals("evolve.yml:6:15 (search.population): NSGA-II needs a population of at least 4 but it is 3;"
                + " give 4 or more, or leave it out for the optimizer's default",
                error("""
                dfs: {models: [a, b]}
                tasks: [tasks/t.yaml]
                search:
                  optimizer: nsga2
                  path_length_objective: true
                  population: 3
                """));
    }

    @Test
    void read_unknownCmaesCovariance_refused() throws IOException {
        assertEquals("evolve.yml:4:10 (search.cmaes): unknown CMA-ES covariance 'diagonal'; use full or separable,"
                + " or leave it out to go separable above 1000 genes",
                error("""
                dfs: {models: [a, b]}
                tasks: [tasks/t.yaml]
                search:
                  cmaes: diagonal
                """));
    }

    @Test
    void read_stageSigma0Negative_refused() throws IOException {
        assertEquals("evolve.yml:4:17 (search.dfs.sigma0): 'sigma0' must be above 0 but is -0.1; give the initial"
                + " step size in genome units, for example 0.1667",
                error("""
                dfs: {models: [a, b]}
                tasks: [tasks/t.yaml]
                search:
                  dfs: {sigma0: -0.1}
                """));
    }

    @Test
    void read_sigma0Zero_refused() throws IOException {
        assertEquals("evolve.yml:4:11 (search.sigma0): 'sigma0' must be above 0 but is 0.0; give the initial step "
                + "size in genome units, for example 0.1667",
                error("""
                dfs: {models: [a, b]}
                tasks: [tasks/t.yaml]
                search:
                  sigma0: 0
                """));
    }

    @Test
    void read_sigma0Negative_refused() throws IOException {
        assertEquals("evolve.yml:4:11 (search.sigma0): 'sigma0' must be above 0 but is -0.5; give the initial step "
                + "size in genome units, for example 0.1667",
                error("""
                dfs: {models: [a, b]}
                tasks: [tasks/t.yaml]
                search:
                  sigma0: -0.5
                """));
    }

    @Test
    void read_sigma0Infinite_refused() throws IOException {
        assertEquals("evolve.yml:4:11 (search.sigma0): 'sigma0' must be a finite number but is .inf; give the "
                + "initial step size in genome units, for example 0.1667",
                error("""
                dfs: {models: [a, b]}
                tasks: [tasks/t.yaml]
                search:
                  sigma0: .inf
                """));
    }

    @Test
    void read_initialUnknown_refused() throws IOException {
        assertEquals("evolve.yml:4:12 (search.initial): unknown initial point 'zero'; use one of mergekit, sakana, "
                + "random",
                error("""
                dfs: {models: [a, b]}
                tasks: [tasks/t.yaml]
                search:
                  initial: zero
                """));
    }

    @Test
    void read_budgetNoLimit_refused() throws IOException {
        assertEquals("evolve.yml:4:3 (search.budget): 'search.budget' sets no limit; set evaluations, generations or "
                + "wall_time (for example evaluations: 1000)",
                error("""
                dfs: {models: [a, b]}
                tasks: [tasks/t.yaml]
                search:
                  budget:
                    evaluations: null
                """));
    }

    @Test
    void read_budgetEvaluationsZero_refused() throws IOException {
        assertEquals("evolve.yml:4:25 (search.budget.evaluations): 'evaluations' must be at least 1 but is 0; give "
                + "the evaluations a stage may run, or leave the key out",
                error("""
                dfs: {models: [a, b]}
                tasks: [tasks/t.yaml]
                search:
                  budget: {evaluations: 0}
                """));
    }

    @Test
    void read_wallTimeNotDuration_refused() throws IOException {
        assertEquals("evolve.yml:4:23 (search.budget.wall_time): '2 hours' is not a duration; write it like 90s, "
                + "30m, 2h or 1h30m",
                error("""
                dfs: {models: [a, b]}
                tasks: [tasks/t.yaml]
                search:
                  budget: {wall_time: 2 hours}
                """));
    }

    @Test
    void read_wallTimeZero_refused() throws IOException {
        assertEquals("evolve.yml:4:23 (search.budget.wall_time): '0s' is no time at all; give a duration above 0, "
                + "like 90s, 30m, 2h or 1h30m",
                error("""
                dfs: {models: [a, b]}
                tasks: [tasks/t.yaml]
                search:
                  budget: {wall_time: 0s}
                """));
    }

    @Test
    void read_seedText_refused() throws IOException {
        assertEquals("evolve.yml:4:9 (search.seed): expected a number but found the text 'lucky'",
                error("""
                dfs: {models: [a, b]}
                tasks: [tasks/t.yaml]
                search:
                  seed: lucky
                """));
    }

    @Test
    void read_subsetZero_refused() throws IOException {
        assertEquals("evolve.yml:4:11 (search.subset): 'subset' must be at least 1 but is 0; give the documents "
                + "scored per generation, or leave it out to score all",
                error("""
                dfs: {models: [a, b]}
                tasks: [tasks/t.yaml]
                search:
                  subset: 0
                """));
    }

    @Test
    void read_pathLengthWithoutDfs_refused() throws IOException {
        assertEquals("evolve.yml:4:3 (search.path_length_objective): path_length_objective needs a data-flow search; "
                + "add a dfs: section, or leave path_length_objective out",
                error("""
                genome: {models: [a, b], merge_method: linear}
                tasks: [tasks/t.yaml]
                search:
                  path_length_objective: true
                """));
    }

    @Test
    void read_pathLengthWithGa_refused() throws IOException {
        assertEquals("evolve.yml:4:14 (search.optimizer): path_length_objective makes the search multi-objective, "
                + "which ga cannot search; use optimizer: nsga2",
                error("""
                dfs: {models: [a, b]}
                tasks: [tasks/t.yaml]
                search:
                  optimizer: ga
                  path_length_objective: true
                """));
    }

    @Test
    void read_modeUnknown_refused() throws IOException {
        assertEquals("evolve.yml:4:9 (evaluation.mode): unknown evaluation mode 'remote'; use in_process, command"
                + " or slurm",
                error("""
                dfs: {models: [a, b]}
                tasks: [tasks/t.yaml]
                evaluation:
                  mode: remote
                """));
    }

    @Test
    void read_commandModeWithoutCommand_refused() throws IOException {
        assertEquals("evolve.yml:4:3 (evaluation.mode): mode command needs 'command'; give the command line with "
                + "{model_dir} and {output}, for example lm_eval --model vllm --model_args pretrained={model_dir} "
                + "--tasks TASK --output_path {output}",
                error("""
                dfs: {models: [a, b]}
                tasks: [tasks/t.yaml]
                evaluation:
                  mode: command
                """));
    }

    @Test
    void read_commandWithoutModelDir_refused() throws IOException {
        assertEquals("evolve.yml:5:12 (evaluation.command): the command is not usable: the command must use both "
                + "{model_dir} and {output} (where the model is, and where to write lm-evaluation-harness's "
                + "results): [lm_eval, --model_args, pretrained=/m, --output_path, {output}]; quote as a shell "
                + "would, and write {model_dir} where the model directory goes and {output} where the results go",
                error("""
                dfs: {models: [a, b]}
                tasks: [tasks/t.yaml]
                evaluation:
                  mode: command
                  command: lm_eval --model_args pretrained=/m --output_path {output}
                """));
    }

    @Test
    void read_commandWithoutOutput_refused() throws IOException {
        assertEquals("evolve.yml:5:12 (evaluation.command): the command is not usable: the command must use both "
                + "{model_dir} and {output} (where the model is, and where to write lm-evaluation-harness's "
                + "results): [lm_eval, --model_args, pretrained={model_dir}]; quote as a shell would, and write "
                + "{model_dir} where the model directory goes and {output} where the results go",
                error("""
                dfs: {models: [a, b]}
                tasks: [tasks/t.yaml]
                evaluation:
                  mode: command
                  command: lm_eval --model_args pretrained={model_dir}
                """));
    }

    @Test
    void read_commandUnterminatedQuote_refused() throws IOException {
        assertEquals("evolve.yml:5:12 (evaluation.command): the command is not usable: unterminated ' at character 9 "
                + "of: lm_eval '{model_dir} {output}; quote as a shell would, and write {model_dir} where the "
                + "model directory goes and {output} where the results go",
                error("""
                dfs: {models: [a, b]}
                tasks: [tasks/t.yaml]
                evaluation:
                  mode: command
                  command: "lm_eval '{model_dir} {output}"
                """));
    }

    @Test
    void read_batchSizeZero_refused() throws IOException {
        assertEquals("evolve.yml:4:15 (evaluation.batch_size): 'batch_size' must be at least 1 but is 0; give the "
                + "requests per forward pass, for example 8",
                error("""
                dfs: {models: [a, b]}
                tasks: [tasks/t.yaml]
                evaluation:
                  batch_size: 0
                """));
    }

    @Test
    void read_threadsZero_refused() throws IOException {
        assertEquals("evolve.yml:4:12 (evaluation.threads): 'threads' must be at least 1 but is 0; give the "
                + "candidates evaluated at once, for example 1",
                error("""
                dfs: {models: [a, b]}
                tasks: [tasks/t.yaml]
                evaluation:
                  threads: 0
                """));
    }

    @Test
    void read_limitZero_refused() throws IOException {
        assertEquals("evolve.yml:4:10 (evaluation.limit): 'limit' must be at least 1 but is 0; give the documents "
                + "per task and split, or leave it out for all",
                error("""
                dfs: {models: [a, b]}
                tasks: [tasks/t.yaml]
                evaluation:
                  limit: 0
                """));
    }

    @Test
    void read_timeoutNotDuration_refused() throws IOException {
        assertEquals("evolve.yml:4:12 (evaluation.timeout): 'soon' is not a duration; write it like 90s, 30m, 2h or "
                + "1h30m",
                error("""
                dfs: {models: [a, b]}
                tasks: [tasks/t.yaml]
                evaluation:
                  timeout: soon
                """));
    }

    @Test
    void read_memoryBudgetNotASize_refused() throws IOException {
        assertEquals("evolve.yml:4:18 (evaluation.memory_budget): 'lots' is not a size; give the memory candidates"
                + " evaluated at once may hold together, for example 16G",
                error("""
                dfs: {models: [a, b]}
                tasks: [tasks/t.yaml]
                evaluation:
                  memory_budget: lots
                """));
    }

    @Test
    void read_invalidYaml_refused() throws IOException {
        assertEquals("evolve.yml:2:1: invalid YAML: expected ',' or '}', but got <scalar>; fix the YAML syntax there",
                error("""
                dfs: {models: [a, b]
                tasks: [tasks/t.yaml]
                """));
    }

    @Test
    void read_duplicateKey_refused() throws IOException {
        assertEquals("evolve.yml:3:1 (dfs): duplicate key 'dfs' (first at line 1); remove one of them",
                error("""
                dfs: {models: [a, b]}
                tasks: [tasks/t.yaml]
                dfs: {models: [a]}
                """));
    }
}
