package dev.evomerge.eval.task;

import dev.evomerge.diag.Requires;
import dev.evomerge.diag.SourceLocation;
import dev.evomerge.eval.data.Dataset;
import dev.evomerge.eval.metric.FilterPipeline;
import dev.evomerge.eval.metric.MetricSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * A task file, read and checked: what {@link TaskFileReader} makes of lm-evaluation-harness's task YAML. Splits
 * are split names of {@link #dataset()} (null when the file does not name one); templates are kept as written and
 * rendered per document by {@link Task}.
 *
 * <p>Immutable and thread-safe (the dataset loads its splits once, thread-safely).
 *
 * @param name {@code task}
 * @param alias {@code task_alias}, else the name
 * @param file the task file
 * @param version {@code metadata.version} as written, else {@code Yaml} (lm-evaluation-harness's default)
 * @param dataset where the documents come from
 * @param trainingSplit {@code training_split}
 * @param validationSplit {@code validation_split}
 * @param testSplit {@code test_split}
 * @param fewshotSplit {@code fewshot_split} (or {@code fewshot_config.split})
 * @param docToText {@code doc_to_text}
 * @param docToTarget {@code doc_to_target}
 * @param docToChoice {@code doc_to_choice}, or null
 * @param description {@code description}, or null
 * @param targetDelimiter {@code target_delimiter} (default one space)
 * @param fewshotDelimiter {@code fewshot_delimiter} (default two line breaks)
 * @param numFewshot {@code num_fewshot} (default 0)
 * @param sampling {@code fewshot_config.sampler}
 * @param outputType {@code output_type}
 * @param generation {@code generation_kwargs} with lm-evaluation-harness's defaults (used by {@code generate_until})
 * @param filters {@code filter_list}, or the single {@code none} pipeline
 * @param metrics {@code metric_list}, or lm-evaluation-harness's defaults for the output type
 * @param limit {@code limit}: at most this many documents (a fraction below 1 is a share of the split)
 * @param applyChatTemplate whether prompts go through the model's chat template
 * @param fewshotAsMultiturn with a chat template, whether examples are separate user and assistant turns
 * @param location where the task is defined (the file, at its {@code task} key)
 */
public record TaskConfig(String name, String alias, Path file, String version, Dataset dataset, String trainingSplit,
        String validationSplit, String testSplit, String fewshotSplit, DocField docToText, DocField docToTarget,
        DocField docToChoice, DocField description, String targetDelimiter, String fewshotDelimiter, int numFewshot,
        FewShotSampling sampling, OutputType outputType, GenerationSettings generation, List<FilterPipeline> filters,
        List<MetricSpec> metrics, OptionalDouble limit, boolean applyChatTemplate, boolean fewshotAsMultiturn,
        SourceLocation location) {

    public TaskConfig {
        Requires.nonNull("name, alias, file, version, dataset, docToText, docToTarget, targetDelimiter, "
                + "fewshotDelimiter, sampling, outputType, generation, limit, location",
                name, alias, file, version, dataset, docToText, docToTarget, targetDelimiter, fewshotDelimiter,
                sampling, outputType, generation, limit, location);
        filters = List.copyOf(filters);
        metrics = List.copyOf(metrics);
        if (numFewshot < 0) {
            throw new IllegalArgumentException("numFewshot must be >= 0, got " + numFewshot);
        }
        if (filters.isEmpty() || metrics.isEmpty()) {
            throw new IllegalArgumentException("a task needs at least one filter pipeline and one metric");
        }
        if (outputType == OutputType.MULTIPLE_CHOICE && docToChoice == null) {
            throw new IllegalArgumentException("multiple_choice needs doc_to_choice");
        }
    }

    /**
     * The split lm-evaluation-harness evaluates: the test split if the file names one, else the validation split.
     */
    public Optional<String> evaluationSplit() {
        return Optional.ofNullable(testSplit != null ? testSplit : validationSplit);
    }

    /**
     * The split few-shot examples come from, by lm-evaluation-harness's rule: {@code fewshot_split}, else the
     * training split, else the validation split, else the test split.
     */
    public Optional<String> fewshotPoolSplit() {
        for (String s : new String[] {fewshotSplit, trainingSplit, validationSplit, testSplit}) {
            if (s != null) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    /** The same task with another {@code num_fewshot}. */
    public TaskConfig withNumFewshot(int shots) {
        return new TaskConfig(name, alias, file, version, dataset, trainingSplit, validationSplit, testSplit,
                fewshotSplit, docToText, docToTarget, docToChoice, description, targetDelimiter, fewshotDelimiter,
                shots, sampling, outputType, generation, filters, metrics, limit, applyChatTemplate,
                fewshotAsMultiturn, location);
    }

    /** The same task with chat templating switched on or off. */
    public TaskConfig withChatTemplate(boolean apply, boolean multiturn) {
        return new TaskConfig(name, alias, file, version, dataset, trainingSplit, validationSplit, testSplit,
                fewshotSplit, docToText, docToTarget, docToChoice, description, targetDelimiter, fewshotDelimiter,
                numFewshot, sampling, outputType, generation, filters, metrics, limit, apply, multiturn, location);
    }
}
