package dev.evomerge.search.evolve;

import dev.evomerge.config.YamlDocument;
import dev.evomerge.config.YamlMapping;
import dev.evomerge.config.YamlParser;
import dev.evomerge.diag.ConfigException;
import dev.evomerge.diag.SourceLocation;
import dev.evomerge.event.EventListener;
import dev.evomerge.search.space.GenomeDefinition;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Reads an {@code evolve.yml} (see {@code docs/evolve-config.md}) into an {@link EvolveConfig}, through the same
 * position-keeping YAML layer as merge configs: every mistake is a {@link ConfigException} naming file, line, column
 * and key path with what to do; an unknown key is a warning at its position. Task files are resolved against the
 * config's directory and must exist; model references are kept as written (resolved when the run starts). Each
 * section has a reader ({@link SpacesReader} for {@code genome:} and {@code dfs:}, {@link TasksReader},
 * {@link SearchReader}, {@link EvaluationReader}, with the value checks of {@link EvolveValues}); this one checks
 * what the sections must agree on. Stateless.
 */
public final class EvolveConfigReader {

    private static final List<String> ROOT_KEYS = List.of("genome", "tasks", "dfs", "search", "evaluation");

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
        Optional<GenomeDefinition> genome = root.getNonNull("genome").map(n -> SpacesReader.genome(n, events));
        Optional<DfsSection> dfs = root.getNonNull("dfs").map(n -> SpacesReader.dfs(n, events));
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
        List<TaskSpec> tasks = TasksReader.read(root.getNonNull("tasks").orElseThrow(() -> root.error(
                "'tasks' is required", "list the task files candidates are scored on, for example tasks:"
                        + " [tasks/math.yaml]")), directory, events);
        SearchSettings search = SearchReader.read(root.get("search"), root.location(), tasks, events);
        EvaluationSettings evaluation = EvaluationReader.read(root.get("evaluation"), root.location(), events);
        if (search.pathLengthObjective() && dfs.isEmpty()) {
            throw new ConfigException(search.locationOf("path_length_objective"), "path_length_objective needs a"
                    + " data-flow search", "add a dfs: section, or leave path_length_objective out");
        }
        return new EvolveConfig(file, genome, tasks, dfs, search, evaluation);
    }
}
