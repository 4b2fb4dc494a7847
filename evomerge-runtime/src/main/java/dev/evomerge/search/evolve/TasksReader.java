package dev.evomerge.search.evolve;

import static dev.evomerge.search.evolve.EvolveValues.finite;
import static dev.evomerge.search.evolve.EvolveValues.nonEmptyList;
import static dev.evomerge.search.evolve.EvolveValues.section;

import dev.evomerge.config.YamlMapping;
import dev.evomerge.config.YamlNode;
import dev.evomerge.config.YamlScalar;
import dev.evomerge.diag.ConfigException;
import dev.evomerge.event.EventListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the {@code tasks:} section of an {@code evolve.yml}: each entry a task file (or a mergekit-evolve task name),
 * its weight, metric, direction and the splits each role uses, the file resolved against the config's directory and
 * required to exist. Stateless.
 */
final class TasksReader {

    private static final List<String> TASK_KEYS = List.of("file", "name", "weight", "metric", "lower_is_better",
            "splits");
    private static final List<String> TASK_EXTENSIONS = List.of(".yaml", ".yml");
    private static final List<String> SPLIT_KEYS = List.of("search", "validation", "test");

    private TasksReader() {
    }

    /** The task entries of the {@code tasks:} list {@code node}, files resolved against {@code directory}. */
    static List<TaskSpec> read(YamlNode node, Path directory, EventListener events) {
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
}
