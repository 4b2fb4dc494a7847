package dev.evomerge.search.evolve;

import dev.evomerge.diag.ConfigException;
import dev.evomerge.eval.fitness.Fitness;
import dev.evomerge.eval.fitness.Objective;
import dev.evomerge.eval.harness.TaskRun;
import dev.evomerge.eval.task.Doc;
import dev.evomerge.eval.task.Task;
import dev.evomerge.event.EventListener;
import dev.evomerge.search.Xoshiro256;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The tasks of an evolve run, loaded once: each task's split for each role, the fitness, the objectives the
 * optimizer sees, and the documents each evaluation runs. Per-generation subsets of the search split are drawn from
 * the seed, the stage and the generation alone, so a resumed run draws the same subsets. Immutable.
 */
final class EvolveTasks {

    /** What an evaluation is for. */
    enum Role {
        SEARCH, VALIDATION, TEST
    }

    /** One task with its split per role. */
    record Entry(TaskSpec spec, Task task, String search, String validation, Optional<String> test) {

        Objective objective() {
            Objective o = Objective.of(task.name(), spec.metric()).withWeight(spec.weight());
            return spec.lowerIsBetter() ? o.lowerIsBetter() : o;
        }

        Optional<String> split(Role role) {
            return switch (role) {
                case SEARCH -> Optional.of(search);
                case VALIDATION -> Optional.of(validation);
                case TEST -> test;
            };
        }
    }

    private final List<Entry> entries;
    private final Fitness fitness;
    private final List<Objective> objectives;
    private final OptionalInt subset;
    private final OptionalInt limit;
    private final long seed;

    private EvolveTasks(List<Entry> entries, List<Objective> objectives, OptionalInt subset, OptionalInt limit,
            long seed) {
        this.entries = List.copyOf(entries);
        this.fitness = new Fitness(entries.stream().map(Entry::objective).toList());
        this.objectives = List.copyOf(objectives);
        this.subset = subset;
        this.limit = limit;
        this.seed = seed;
    }

    /**
     * Loads every task file and checks the splits and objectives against them.
     *
     * @throws ConfigException for a task file mistake (at its place) or an objective naming no task
     */
    static EvolveTasks load(EvolveConfig config, EventListener events) {
        List<Entry> entries = new ArrayList<>();
        for (TaskSpec spec : config.tasks()) {
            Task task = Task.load(spec.file(), events);
            String search = spec.searchSplit().or(() -> task.config().evaluationSplit()).orElseThrow(
                    () -> new ConfigException(spec.location(), "task " + task.name() + " names no split to search on",
                            "set splits.search in this entry, or test_split/validation_split in " + spec.file()));
            String validation = spec.validationSplit().orElse(search);
            if (spec.validationSplit().isEmpty()) {
                events.warn("task " + task.name() + " has no validation split (splits.validation): its final recipe"
                        + " is chosen on the search split '" + search + "', the documents the search optimised;"
                        + " give the task a split of its own", spec.location());
            }
            for (String split : new String[] {search, validation}) {
                checkSplit(spec, task, split);
            }
            spec.testSplit().ifPresent(split -> checkSplit(spec, task, split));
            checkMetric(spec, task);
            if (search.equals(task.config().testSplit()) || spec.testSplit().map(search::equals).orElse(false)) {
                events.warn("task " + task.name() + " searches on its test split '" + search + "': its scores will"
                        + " not be an honest estimate; give the search its own split (splits.search)",
                        spec.location());
            }
            entries.add(new Entry(spec, task, search, validation, spec.testSplit()));
        }
        List<Objective> all = entries.stream().map(Entry::objective).toList();
        List<Objective> objectives;
        if (config.search().objectives().isEmpty()) {
            objectives = List.of();
        } else {
            objectives = new ArrayList<>();
            for (String name : config.search().objectives()) {
                Objective o = all.stream().filter(x -> x.task().equals(name)).findFirst().orElseThrow(
                        () -> new ConfigException(config.search().locationOf("objectives"),
                                "objective '" + name + "' is not one of the tasks ("
                                        + String.join(", ", all.stream().map(Objective::task).toList()) + ")",
                                "name tasks by the task: key of their task files"));
                objectives.add(o);
            }
        }
        return new EvolveTasks(entries, objectives, config.search().subset(), config.evaluation().limit(),
                config.search().seed());
    }

    private static void checkSplit(TaskSpec spec, Task task, String split) {
        if (!task.config().dataset().has(split)) {
            throw new ConfigException(spec.location(), "task " + task.name() + " has no split '" + split + "'",
                    "use one of the splits its dataset has: " + String.join(", ", task.config().dataset().splitNames()));
        }
        checkDocuments(task, split);
        if (task.config().numFewshot() > 0) {
            task.config().fewshotPoolSplit().ifPresent(pool -> checkDocuments(task, pool));
        }
    }

    /** Refuses an objective metric the task does not compute ({@code METRIC,FILTER} as in its results). */
    private static void checkMetric(TaskSpec spec, Task task) {
        List<String> computed = new ArrayList<>();
        for (var metric : task.config().metrics()) {
            for (var filter : task.config().filters()) {
                computed.add(metric.name() + "," + filter.name());
            }
        }
        if (!computed.contains(spec.metric())) {
            throw new ConfigException(spec.location(), "task " + task.name() + " computes no metric '"
                    + spec.metric() + "'", "use one of " + String.join(", ", computed));
        }
    }

    /**
     * Reads every document of a split and renders what the task makes of it, so that bad data (a record that does
     * not parse, a field a template needs that a document lacks, a target that is not a choice) stops the run now,
     * at its place, and not after a search that scored nothing.
     */
    private static void checkDocuments(Task task, String split) {
        for (Doc doc : task.docs(split)) {
            task.text(doc);
            task.description(doc);
            List<String> choices = task.choices(doc);
            task.targetText(doc, task.target(doc), choices);
        }
    }

    List<Entry> entries() {
        return entries;
    }

    /** The weighted-sum fitness over every task (maximised). */
    Fitness fitness() {
        return fitness;
    }

    /** The objectives of a multi-objective search, each maximised after orientation; empty for one fitness. */
    List<Objective> objectives() {
        return objectives;
    }

    /** Whether the search has several objectives. */
    boolean multiObjective() {
        return !objectives.isEmpty();
    }

    /** The oriented objective values of a multi-objective search. */
    Fitness objectiveFitness() {
        return new Fitness(objectives);
    }

    /** Every task on a role's split (tasks without a split for the role are left out), capped by the limit. */
    List<TaskRun> runs(Role role) {
        List<TaskRun> runs = new ArrayList<>();
        for (Entry e : entries) {
            e.split(role).ifPresent(split -> runs.add(limited(TaskRun.of(e.task()).onSplit(split))));
        }
        return runs;
    }

    /** Whether any task has a test split. */
    boolean hasTest() {
        return entries.stream().anyMatch(e -> e.test().isPresent());
    }

    /**
     * The search runs of one generation: every task's search split, or the generation's subset of it (the same for
     * every candidate of the generation, drawn from the seed, the stage and the generation).
     */
    List<TaskRun> searchRuns(int stage, long generation) {
        List<TaskRun> runs = runs(Role.SEARCH);
        if (subset.isEmpty()) {
            return runs;
        }
        List<TaskRun> drawn = new ArrayList<>(runs.size());
        for (int t = 0; t < runs.size(); t++) {
            TaskRun run = runs.get(t);
            int available = run.task().docs(run.split()).size();
            if (limit.isPresent()) {
                available = Math.min(available, limit.getAsInt());
            }
            int k = subset.getAsInt();
            if (k >= available) {
                drawn.add(run);
                continue;
            }
            Xoshiro256 random = Xoshiro256.seeded(mix(seed, stage, generation, t));
            drawn.add(run.withDocs(sample(available, k, random)));
        }
        return drawn;
    }

    private TaskRun limited(TaskRun run) {
        return limit.isPresent() ? run.withLimit(limit.getAsInt()) : run;
    }

    /** k distinct positions of 0..n-1, ascending (a partial Fisher-Yates shuffle). */
    static List<Integer> sample(int n, int k, Xoshiro256 random) {
        int[] positions = new int[n];
        for (int i = 0; i < n; i++) {
            positions[i] = i;
        }
        for (int i = 0; i < k; i++) {
            int j = i + random.nextInt(n - i);
            int swap = positions[i];
            positions[i] = positions[j];
            positions[j] = swap;
        }
        int[] chosen = Arrays.copyOf(positions, k);
        Arrays.sort(chosen);
        return Arrays.stream(chosen).boxed().toList();
    }

    private static long mix(long seed, int stage, long generation, int task) {
        long h = seed;
        for (long v : new long[] {stage, generation, task}) {
            h = (h ^ v) * 0x9E3779B97F4A7C15L;
            h ^= h >>> 31;
        }
        return h;
    }

    @Override
    public String toString() {
        return "EvolveTasks" + entries.stream().map(e -> e.task().name()).toList();
    }
}
