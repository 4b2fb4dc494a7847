package dev.evomerge.eval.task;

import dev.evomerge.config.YamlDocument;
import dev.evomerge.config.YamlMapping;
import dev.evomerge.config.YamlNode;
import dev.evomerge.config.YamlParser;
import dev.evomerge.config.YamlScalar;
import dev.evomerge.config.YamlSequence;
import dev.evomerge.diag.ConfigException;
import dev.evomerge.eval.template.TemplateEngine;
import dev.evomerge.diag.SourceLocation;
import dev.evomerge.eval.data.Dataset;
import dev.evomerge.eval.metric.FilterPipeline;
import dev.evomerge.eval.metric.MetricSpec;
import dev.evomerge.event.EventListener;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * Reads a task file in lm-evaluation-harness's YAML format (the subset evomerge runs; see {@code docs/tasks.md}) into
 * a {@link TaskConfig}. Every mistake is a {@link ConfigException} at its line and column; keys evomerge does not
 * know are warned about at their position and ignored; features that need Python ({@code !function},
 * {@code process_docs}, {@code process_results}, {@code include}, groups, promptsource) are refused at their
 * position with what to do instead.
 *
 * <p>Stateless and thread-safe.
 */
public final class TaskFileReader {

    /** Keys read here or by the readers this one calls. */
    static final Set<String> KNOWN = Set.of("task", "task_alias", "tag", "dataset_path", "dataset_name",
            "dataset_kwargs", "training_split", "validation_split", "test_split", "fewshot_split", "doc_to_text",
            "doc_to_target", "doc_to_choice", "description", "target_delimiter", "fewshot_delimiter",
            "fewshot_config", "num_fewshot", "output_type", "generation_kwargs", "filter_list", "metric_list",
            "repeats", "metadata", "should_decontaminate", "doc_to_decontamination_query", "unsafe_code", "limit",
            "apply_chat_template", "fewshot_as_multiturn");

    /** Keys lm-evaluation-harness knows whose features need Python or the Hub; refused with a reason. */
    private static final Map<String, String> REFUSED = Map.of(
            "include", "'include' is not supported: copy the keys of the included file into this one",
            "group", "group files are not supported: give each task its own file and list them all",
            "process_docs", "'process_docs' runs Python code, which evomerge does not run: prepare the documents"
                    + " in the dataset files instead",
            "process_results", "'process_results' runs Python code, which evomerge does not run: use metric_list"
                    + " with exact_match, acc, acc_norm, acc_bytes or perplexity",
            "custom_dataset", "'custom_dataset' runs Python code: point dataset_path at local data files",
            "use_prompt", "promptsource prompts ('use_prompt') are not supported: write doc_to_text and"
                    + " doc_to_target templates",
            "doc_to_image", "image tasks are not supported",
            "doc_to_audio", "audio tasks are not supported",
            "gen_prefix", "'gen_prefix' is not supported: end doc_to_text with the prefix instead");

    private TaskFileReader() {
    }

    /**
     * Reads and checks a task file; the dataset is located (a missing file or folder is an error) but its records
     * are read only when used.
     *
     * @throws ConfigException at the position of the first mistake
     * @throws dev.evomerge.diag.InputException when the file or the dataset cannot be read
     */
    public static TaskConfig read(Path file, EventListener events) {
        YamlDocument doc = YamlParser.parse(file);
        YamlTags.refuseCustomTags(doc);
        YamlMapping m = doc.root().asMapping();
        for (String key : m.keys()) {
            String reason = REFUSED.get(key);
            if (reason != null) {
                throw new ConfigException(m.keyLocation(key), reason);
            }
        }
        m.warnUnknownKeys(KNOWN, events);

        YamlNode taskNode = m.require("task");
        if (taskNode instanceof YamlSequence) {
            throw taskNode.error("'task' lists several tasks (a group file), which is not supported",
                    "give each task its own file");
        }
        String name = text(taskNode, "a task name");
        String alias = m.getNonNull("task_alias").map(n -> text(n, "a task alias")).orElse(name);
        String version = m.getNonNull("metadata").map(n -> version(n.asMapping())).orElse("Yaml");
        refuseIfTrue(m, "unsafe_code", "tasks that run code are not supported");
        m.getNonNull("should_decontaminate").ifPresent(n -> {
            if (n.asScalar().asBoolean()) {
                events.warn("should_decontaminate is ignored: evomerge does not check contamination",
                        n.location());
            }
        });
        m.getNonNull("repeats").ifPresent(n -> {
            if (n.asScalar().asInt(1, Integer.MAX_VALUE) != 1) {
                throw n.error("'repeats' other than 1 is not supported: evomerge decodes greedily, so repeats"
                        + " would all be the same", "remove 'repeats'");
            }
        });

        OutputType outputType = m.getNonNull("output_type").map(TaskFileReader::outputType)
                .orElse(OutputType.GENERATE_UNTIL);
        Dataset dataset = DatasetLocator.locate(m, file);
        String training = split(m, "training_split");
        String validation = split(m, "validation_split");
        String test = split(m, "test_split");
        String fewshot = split(m, "fewshot_split");
        if (test == null && validation == null) {
            throw new ConfigException(m.location(), "the task names neither test_split nor validation_split",
                    "name the split to evaluate, for example test_split: test");
        }
        FewShotSampling sampling = FewShotSampling.DEFAULT;
        if (m.getNonNull("fewshot_config").isPresent()) {
            YamlMapping fc = m.require("fewshot_config").asMapping();
            for (String key : fc.keys()) {
                if (!key.equals("sampler") && !key.equals("split")) {
                    throw new ConfigException(fc.keyLocation(key), "fewshot_config." + key + " is not supported",
                            "use fewshot_config with 'sampler' (default or first_n) and 'split' only");
                }
            }
            sampling = fc.getNonNull("sampler").map(TaskFileReader::sampling).orElse(FewShotSampling.DEFAULT);
            fewshot = fc.getNonNull("split").map(n -> text(n, "a split name")).orElse(fewshot);
        }

        DocField docToText = docField(m, "doc_to_text", true);
        if (docToText instanceof DocField.Constant c) {
            throw new ConfigException(c.location(), "doc_to_text must be text (a field name or a template); a number"
                    + " selects lm-evaluation-harness's multiple-input mode, which is not supported");
        }
        DocField docToTarget = docField(m, "doc_to_target", true);
        DocField docToChoice = docField(m, "doc_to_choice", false);
        if (docToChoice instanceof DocField.Constant c && !(c.value() instanceof List)) {
            throw new ConfigException(c.location(), "doc_to_choice must be a list, a mapping, a field name or a"
                    + " template that gives a list");
        }
        if (outputType == OutputType.MULTIPLE_CHOICE && docToChoice == null) {
            throw new ConfigException(m.keyLocation("output_type"), "output_type multiple_choice needs"
                    + " doc_to_choice", "add doc_to_choice: the list of choices or a field holding it");
        }
        DocField description = m.getNonNull("description")
                .map(n -> (DocField) new DocField.Text(text(n, "text"), n.location())).orElse(null);
        TemplateEngine templates = TemplateEngine.forTasks();
        checkSyntax(templates, "doc_to_text", docToText);
        checkSyntax(templates, "doc_to_target", docToTarget);
        checkSyntax(templates, "doc_to_choice", docToChoice);
        checkSyntax(templates, "description", description);
        String targetDelimiter = m.getNonNull("target_delimiter").map(n -> text(n, "text")).orElse(" ");
        String fewshotDelimiter = m.getNonNull("fewshot_delimiter").map(n -> text(n, "text")).orElse("\n\n");
        int numFewshot = m.getNonNull("num_fewshot").map(n -> n.asScalar().asInt(0, 10_000)).orElse(0);

        GenerationSettings generation = ScoringReader.generation(m, outputType, fewshotDelimiter, events);
        List<FilterPipeline> filters = ScoringReader.filters(m, outputType);
        List<MetricSpec> metrics = ScoringReader.metrics(m, outputType, events);
        OptionalDouble limit = m.getNonNull("limit").map(TaskFileReader::limit).orElse(OptionalDouble.empty());
        boolean chat = m.getNonNull("apply_chat_template").map(n -> n.asScalar().asBoolean()).orElse(false);
        boolean multiturn = m.getNonNull("fewshot_as_multiturn").map(n -> n.asScalar().asBoolean()).orElse(chat);
        return new TaskConfig(name, alias, file, version, dataset, training, validation, test, fewshot, docToText,
                docToTarget, docToChoice, description, targetDelimiter, fewshotDelimiter, numFewshot, sampling,
                outputType, generation, filters, metrics, limit, chat, multiturn, m.keyLocation("task"));
    }

    /** A YAML string; numbers and booleans are refused as lm-evaluation-harness's typed config would. */
    static String text(YamlNode n, String what) {
        return n.asScalar().asText(what);
    }

    private static String split(YamlMapping m, String key) {
        return m.getNonNull(key).map(n -> {
            YamlScalar s = n.asScalar();
            // split names such as 2023 are written unquoted; YAML reads them as numbers
            return s.type() == YamlScalar.Type.INT ? s.text() : s.asText("a split name");
        }).orElse(null);
    }

    private static OutputType outputType(YamlNode n) {
        String value = text(n, "an output type");
        if (value.equals("loglikelihood_rolling")) {
            throw n.error("output_type loglikelihood_rolling (perplexity over whole documents) is not supported",
                    "use generate_until, loglikelihood or multiple_choice");
        }
        return OutputType.named(value).orElseThrow(() -> n.error("unknown output_type '" + value + "'",
                "use generate_until, loglikelihood or multiple_choice"));
    }

    private static FewShotSampling sampling(YamlNode n) {
        return switch (text(n, "a sampler name")) {
            case "default" -> FewShotSampling.DEFAULT;
            case "first_n" -> FewShotSampling.FIRST_N;
            default -> throw n.error("unknown few-shot sampler '" + n.asScalar().text() + "'",
                    "use default or first_n");
        };
    }

    private static DocField docField(YamlMapping m, String key, boolean required) {
        YamlNode n = required ? m.require(key) : m.getNonNull(key).orElse(null);
        if (n == null) {
            return null;
        }
        return switch (n) {
            case YamlScalar s when s.type() == YamlScalar.Type.INT -> new DocField.Constant(s.asLong(), s.location());
            case YamlScalar s -> new DocField.Text(s.asText("text, a field name or a template"), s.location());
            case YamlSequence seq -> new DocField.Constant(seq.items().stream().map(TaskFileReader::listItem)
                    .toList(), seq.location());
            case YamlMapping map -> new DocField.Constant(map.entries().values().stream()
                    .map(TaskFileReader::listItem).toList(), map.location());
        };
    }

    /** Refuses a template Jinja cannot compile now, rather than rendering it as text for a whole run. */
    private static void checkSyntax(TemplateEngine templates, String key, DocField field) {
        if (field instanceof DocField.Text t) {
            templates.syntaxError(t.text()).ifPresent(error -> {
                throw new ConfigException(t.location(), key + " is not a valid Jinja template: " + error,
                        "fix the template");
            });
        }
    }

    private static Object listItem(YamlNode n) {
        YamlScalar s = n.asScalar();
        return s.type() == YamlScalar.Type.INT ? (Object) s.asLong() : s.asString();
    }

    private static String version(YamlMapping metadata) {
        return metadata.getNonNull("version").map(n -> n.asScalar().asString()).orElse("Yaml");
    }

    private static void refuseIfTrue(YamlMapping m, String key, String reason) {
        m.getNonNull(key).ifPresent(n -> {
            if (n.asScalar().asBoolean()) {
                throw new ConfigException(m.keyLocation(key), reason);
            }
        });
    }

    private static OptionalDouble limit(YamlNode n) {
        YamlScalar s = n.asScalar();
        double v = s.asDouble();
        if (!(v > 0) || (v >= 1 && v != Math.rint(v)) || Double.isInfinite(v)) {
            throw s.error("limit must be a whole number of documents, or a fraction between 0 and 1, but is "
                    + s.text());
        }
        return OptionalDouble.of(v);
    }

    /** Where a key's value is, or the key's own position when it has no value. */
    static SourceLocation at(YamlMapping m, String key) {
        return m.get(key).map(YamlNode::location).orElse(m.keyLocation(key));
    }
}
