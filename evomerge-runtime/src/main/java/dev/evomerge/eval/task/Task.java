package dev.evomerge.eval.task;

import dev.evomerge.diag.ConfigException;
import dev.evomerge.eval.template.PythonLiteral;
import dev.evomerge.eval.template.PythonValues;
import dev.evomerge.eval.template.TemplateEngine;
import dev.evomerge.eval.template.TemplateException;
import dev.evomerge.event.EventListener;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A task ready to run: its {@link TaskConfig}, its documents, and what its templates make of each document, exactly
 * as lm-evaluation-harness's {@code ConfigurableTask.doc_to_text/doc_to_target/doc_to_choice} do: a spec that is a
 * field name of the split gives that field's value; any other text is a Jinja template rendered with the document's
 * fields ({@link TemplateEngine#forTasks()}: unknown names are errors); a rendered target made of digits is a choice
 * index when the task has choices, and one that looks like a list is read as a Python literal; a rendered
 * {@code doc_to_choice} is read as a Python literal list.
 *
 * {@snippet :
 * Task task = Task.load(Path.of("tasks/arith.yaml"), events);
 * Doc first = task.docs(task.config().evaluationSplit().orElseThrow()).getFirst();
 * String question = task.text(first);
 * }
 *
 * <p>Thread-safe.
 */
public final class Task {

    private final TaskConfig config;
    private final TemplateEngine templates = TemplateEngine.forTasks();
    private final Map<String, Set<String>> columns = new HashMap<>();

    private Task(TaskConfig config) {
        this.config = config;
    }

    /** Reads a task file ({@link TaskFileReader}). */
    public static Task load(Path file, EventListener events) {
        return new Task(TaskFileReader.read(file, events));
    }

    /** A task from a config already read. */
    public static Task of(TaskConfig config) {
        return new Task(config);
    }

    public TaskConfig config() {
        return config;
    }

    public String name() {
        return config.name();
    }

    /**
     * The documents of a split, in dataset order.
     *
     * @throws dev.evomerge.diag.InputException when the dataset has no such split or cannot be read
     */
    public List<Doc> docs(String split) {
        List<Map<String, Object>> records = config.dataset().split(split);
        List<Doc> out = new ArrayList<>(records.size());
        for (int i = 0; i < records.size(); i++) {
            out.add(new Doc(split, i, records.get(i)));
        }
        return out;
    }

    /** {@code doc_to_text}: the question part of the prompt. */
    public String text(Doc doc) {
        Object v = value(config.docToText(), doc, "doc_to_text", Kind.TEXT);
        if (v instanceof Long && config.docToChoice() != null) {
            throw new ConfigException(config.docToText().location(), "doc_to_text gave the number " + v + " for "
                    + doc.describe() + ", which selects lm-evaluation-harness's multiple-input mode; that mode is"
                    + " not supported");
        }
        return PythonValues.str(v);
    }

    /**
     * {@code doc_to_target}: text, a choice index ({@link Long}), or a list of either (several acceptable
     * answers).
     */
    public Object target(Doc doc) {
        return value(config.docToTarget(), doc, "doc_to_target", Kind.TARGET);
    }

    /** {@code doc_to_choice}: the choices' texts; empty when the task has none. */
    public List<String> choices(Doc doc) {
        if (config.docToChoice() == null) {
            return List.of();
        }
        Object v = value(config.docToChoice(), doc, "doc_to_choice", Kind.CHOICES);
        if (!(v instanceof Collection<?> c)) {
            throw new ConfigException(config.docToChoice().location(), "doc_to_choice gave "
                    + PythonValues.repr(v) + " for " + doc.describe() + ", which is not a list");
        }
        return c.stream().map(PythonValues::str).toList();
    }

    /** {@code description}, rendered for the document (empty when the task has none). */
    public String description(Doc doc) {
        if (config.description() == null) {
            return "";
        }
        return PythonValues.str(value(config.description(), doc, "description", Kind.TEXT));
    }

    /**
     * The few-shot sampler for evaluating {@code split}: its pool is {@link TaskConfig#fewshotPoolSplit()}; the
     * evaluated document is left out of the draw when lm-evaluation-harness leaves it out ({@code fewshot_split}
     * equal to {@code test_split}, both possibly unset) and also whenever the pool holds the evaluated split's
     * documents, so that no document is its own example.
     */
    public FewShotSampler sampler(String split, long seed) {
        if (config.numFewshot() == 0) {
            return new FewShotSampler(config, List.of(), 0, false, seed);
        }
        String poolSplit = config.fewshotPoolSplit().orElseThrow();
        boolean exclude = java.util.Objects.equals(config.fewshotSplit(), config.testSplit())
                || config.dataset().sameDocuments(poolSplit, split);
        return new FewShotSampler(config, docs(poolSplit), config.numFewshot(), exclude, seed);
    }

    /** The text of a target as the prompt shows it: the choice it indexes, the first of several, or the text. */
    public String targetText(Doc doc, Object target, List<String> choices) {
        Object t = target;
        if (t instanceof List<?> l) {
            if (l.isEmpty()) {
                throw new ConfigException(config.docToTarget().location(), "doc_to_target gave an empty list for "
                        + doc.describe());
            }
            t = l.getFirst();
        }
        if (t instanceof Long index && !choices.isEmpty()) {
            if (index < 0 || index >= choices.size()) {
                throw new ConfigException(config.docToTarget().location(), "doc_to_target gave choice " + index
                        + " for " + doc.describe() + ", which has " + choices.size() + " choices");
            }
            return choices.get(index.intValue());
        }
        return PythonValues.str(t);
    }

    private enum Kind { TEXT, TARGET, CHOICES }

    private Object value(DocField field, Doc doc, String key, Kind kind) {
        if (field instanceof DocField.Constant c) {
            return c.value();
        }
        String spec = ((DocField.Text) field).text();
        if (columns(doc.split()).contains(spec)) {
            return doc.fields().get(spec);
        }
        String rendered;
        try {
            rendered = templates.render(spec, doc.fields());
        } catch (TemplateException e) {
            throw new ConfigException(field.location(), key + " template failed for " + doc.describe() + " of "
                    + config.dataset() + ": " + e.getMessage(), "the document's fields are "
                    + String.join(", ", doc.fields().keySet()));
        }
        boolean digits = !rendered.isEmpty() && rendered.chars().allMatch(Character::isDigit);
        return switch (kind) {
            case TEXT -> digits && config.docToChoice() != null ? (Object) Long.parseLong(rendered) : rendered;
            case TARGET -> {
                if (digits && config.docToChoice() != null) {
                    yield Long.parseLong(rendered);
                }
                if (rendered.length() >= 2 && rendered.startsWith("[") && rendered.endsWith("]")) {
                    try {
                        yield PythonLiteral.parse(rendered);
                    } catch (IllegalArgumentException e) {
                        yield rendered; // as lm-evaluation-harness: text that is not a literal stays text
                    }
                }
                yield rendered;
            }
            case CHOICES -> {
                try {
                    yield PythonLiteral.parse(rendered);
                } catch (IllegalArgumentException e) {
                    throw new ConfigException(field.location(), "doc_to_choice rendered " + PythonValues.repr(
                            rendered) + " for " + doc.describe() + ", which is not a Python list literal ("
                            + e.getMessage() + ")", "render a list such as ['yes', 'no'], for example with"
                            + " {{ choices }} for a list field");
                }
            }
        };
    }

    /** The field names of a split (all documents' keys), for telling field names from templates. */
    private synchronized Set<String> columns(String split) {
        return columns.computeIfAbsent(split, s -> {
            Set<String> names = new LinkedHashSet<>();
            config.dataset().split(s).forEach(r -> names.addAll(r.keySet()));
            return names;
        });
    }

    @Override
    public String toString() {
        return "task " + config.name() + " (" + config.file() + ")";
    }
}
