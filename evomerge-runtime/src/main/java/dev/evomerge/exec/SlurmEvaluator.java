package dev.evomerge.exec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.evomerge.config.MergeConfigWriter;
import dev.evomerge.diag.RunException;
import dev.evomerge.eval.BatchEvaluator;
import dev.evomerge.eval.Candidate;
import dev.evomerge.eval.EvaluationOutcome;
import dev.evomerge.eval.fitness.Objective;
import dev.evomerge.eval.harness.TaskRun;
import dev.evomerge.event.EventListener;
import dev.evomerge.search.evolve.EvaluationSettings;
import dev.evomerge.search.evolve.EvolveConfig;
import dev.evomerge.search.evolve.SlurmSettings;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Evaluates candidates as Slurm job arrays (the driver side of {@code evaluation.mode: slurm}). A batch (a
 * generation) gets a folder {@code WORK/slurm/BATCH/} with one sub-folder per candidate holding its
 * {@code candidate.json} (and {@code recipe.yml}); one {@code sbatch --array} submits a task per candidate that has
 * no {@code result.json} yet, each running {@code evomerge run-candidate} in its folder ({@link CandidateTask}). The
 * driver only submits and polls {@code squeue} (every {@link SlurmSettings#poll()}), never holding a node itself.
 *
 * <p>Faults: a task that leaves the queue without a result (it failed, was cancelled, timed out, or its node died
 * without requeueing it) is submitted again, up to {@link SlurmSettings#retries()} times, then its candidate fails
 * with the reason Slurm wrote in its log; tasks Slurm requeues itself (a node going down, with {@code --requeue})
 * are simply waited for. The number of submissions per candidate is kept in {@code submissions.json}, and every
 * job of a batch carries a name derived from the work directory and the batch, so a driver that was killed finds,
 * when resumed, the results that finished meanwhile and the tasks still queued, and submits only what is missing. A
 * folder whose description differs from the candidate now asked for (another run wrote it) is started afresh.
 *
 * <p>Not thread-safe: a search hands it one batch at a time.
 */
public final class SlurmEvaluator implements BatchEvaluator {

    static final String SUBMISSIONS = "submissions.json";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);
    /** How long a task that ended well may take to show its result on a shared file system. */
    private static final Duration RESULT_GRACE = Duration.ofSeconds(10);
    /** How long the controller may stay unreachable (a restart) before the run gives up. */
    private static final Duration CONTROLLER_PATIENCE = Duration.ofMinutes(5);
    /** Job states after which a task runs no more. */
    private static final Set<String> ENDED = Set.of("COMPLETED", "CANCELLED", "FAILED", "TIMEOUT", "NODE_FAIL",
            "PREEMPTED", "BOOT_FAIL", "DEADLINE", "OUT_OF_MEMORY", "REVOKED", "SPECIAL_EXIT");

    private final SlurmSettings settings;
    private final EvaluationSettings evaluation;
    private final List<CandidateSpec.Run> runs;
    private final List<Objective> required;
    private final long seed;
    private final Path root;
    private final EventListener events;
    private final List<String> evomerge;

    /** The evaluator for one set of task runs of a run (see {@link Evaluators}). */
    public SlurmEvaluator(EvolveConfig config, List<TaskRun> runs, List<Objective> required, Path workDirectory,
            EventListener events) {
        this.evaluation = config.evaluation();
        this.settings = evaluation.slurm().orElseThrow(() -> new IllegalArgumentException("not a slurm config"));
        this.runs = runs.stream().map(CandidateSpec.Run::of).toList();
        this.required = List.copyOf(required);
        this.seed = config.search().seed();
        this.root = workDirectory.toAbsolutePath().normalize().resolve("slurm");
        this.events = Objects.requireNonNull(events, "events");
        this.evomerge = settings.evomerge().isEmpty() ? thisJvm() : settings.evomerge();
    }

    @Override
    public List<EvaluationOutcome> evaluateAll(String batch, List<Candidate> candidates) {
        long start = System.nanoTime();
        long entered = System.currentTimeMillis();
        long firstSubmission = 0;
        Path dir = root.resolve(safe(batch));
        String jobName = "evomerge-" + safe(batch) + "-" + hash(dir.toString()).substring(0, 8);
        int n = candidates.size();
        EvaluationOutcome[] outcomes = new EvaluationOutcome[n];
        String[] keys = new String[n];
        for (int i = 0; i < n; i++) {
            keys[i] = key(candidates.get(i));
            String name = candidates.get(i).name();
            outcomes[i] = CandidateTask.readResult(memo(keys[i])).map(o -> named(o, name)).orElse(null);
        }
        if (!missing(outcomes).isEmpty()) {
            try {
                Files.createDirectories(dir);
            } catch (IOException e) {
                throw new RunException("cannot create " + dir + ": " + e.getMessage(), "check that the work"
                        + " directory is writable (and shared with the nodes)", e);
            }
        }
        Map<Integer, Integer> submitted = readSubmissions(dir);
        Set<Integer> restarted = new LinkedHashSet<>();
        for (int i = 0; i < n; i++) {
            if (outcomes[i] != null) {
                continue;
            }
            if (describe(dir.resolve(Integer.toString(i)), candidates.get(i))) {
                submitted.remove(i);
                restarted.add(i);
            }
            outcomes[i] = collect(dir, i, keys[i]).orElse(null);
        }
        Set<Integer> missing = missing(outcomes);
        if (!missing.isEmpty()) {
            Queue queued = queued(jobName);
            List<String> stale = restarted.stream().map(queued.active()::get).filter(Objects::nonNull).toList();
            if (!stale.isEmpty()) {
                // tasks of a candidate this folder described before would write the wrong result into it
                List<String> argv = new ArrayList<>(List.of("scancel"));
                argv.addAll(stale);
                run(argv);
                queued = new Queue(new TreeMap<>(queued.active()), queued.ended());
                restarted.forEach(queued.active()::remove);
            }
            Set<Integer> toSubmit = new LinkedHashSet<>();
            for (int i : missing) {
                if (queued.active().containsKey(i)) {
                    continue;
                }
                if (submitted.getOrDefault(i, 0) == 0) {
                    toSubmit.add(i);
                } else {
                    failed(dir, i, submitted, outcomes, toSubmit, candidates, queued.ended().get(i));
                }
            }
            int found = n - missing.size();
            events.debug(String.format(Locale.ROOT, "%s: %d candidates as Slurm array tasks (%s%d queued, %d to"
                    + " submit)", batch, n, found > 0 ? found + " already scored, " : "", queued.active().size(),
                    toSubmit.size()));
            Map<Integer, Long> grace = new HashMap<>();
            while (!missing(outcomes).isEmpty()) {
                if (!toSubmit.isEmpty()) {
                    if (firstSubmission == 0) {
                        firstSubmission = System.currentTimeMillis();
                    }
                    submit(dir, jobName, toSubmit);
                    toSubmit.forEach(i -> submitted.merge(i, 1, Integer::sum));
                    writeSubmissions(dir, submitted);
                    toSubmit.clear();
                }
                sleep(settings.poll());
                queued = queued(jobName);
                long now = System.currentTimeMillis();
                for (int i : missing(outcomes)) {
                    if (queued.active().containsKey(i)) {
                        grace.remove(i);
                        continue;
                    }
                    Optional<EvaluationOutcome> result = collect(dir, i, keys[i]);
                    if (result.isPresent()) {
                        outcomes[i] = result.get();
                    } else if ("COMPLETED".equals(queued.ended().get(i))
                            && now - grace.computeIfAbsent(i, k -> now) < RESULT_GRACE.toMillis()) {
                        // a shared file system may show the result a moment after the task ended
                        continue;
                    } else {
                        grace.remove(i);
                        failed(dir, i, submitted, outcomes, toSubmit, candidates, queued.ended().get(i));
                    }
                }
            }
        }
        events.debug(String.format(Locale.ROOT, "slurm batch %s: %d results in %.1f s (entered_ms=%d submitted_ms=%d"
                + " collected_ms=%d)", batch, n, (System.nanoTime() - start) / 1e9, entered, firstSubmission,
                System.currentTimeMillis()));
        return List.of(outcomes);
    }

    /** A task that left the queue without a result: submitted again, or its candidate failed for good. */
    private void failed(Path dir, int i, Map<Integer, Integer> submitted, EvaluationOutcome[] outcomes,
            Set<Integer> toSubmit, List<Candidate> candidates, String state) {
        Path folder = dir.resolve(Integer.toString(i));
        String reason = reason(state, folder);
        int times = submitted.getOrDefault(i, 0);
        if (times <= settings.retries()) {
            events.warn(String.format(Locale.ROOT, "%s: its array task %s; submitting it again (%d of %d retries)",
                    candidates.get(i).name(), reason, times, settings.retries()));
            toSubmit.add(i);
        } else {
            outcomes[i] = new EvaluationOutcome.Failed(candidates.get(i).name(), "its Slurm array task " + reason
                    + (times > 1 ? " (submitted " + times + " times)" : ""), tail(folder), Duration.ZERO);
        }
    }

    /**
     * The result a task wrote in a candidate's folder, also kept under the candidate's key so that the same
     * candidate on the same documents (the chosen recipe scored again for the summary, a resumed run) is not
     * evaluated twice.
     */
    private Optional<EvaluationOutcome> collect(Path dir, int i, String key) {
        Path result = dir.resolve(Integer.toString(i)).resolve(CandidateTask.RESULT);
        Optional<EvaluationOutcome> outcome = CandidateTask.readResult(result);
        if (outcome.isPresent() && !Files.exists(memo(key))) {
            try {
                Files.createDirectories(memo(key).getParent());
                writeAtomically(memo(key), Files.readString(result));
            } catch (IOException e) {
                // the memo only saves work
            }
        }
        return outcome;
    }

    private Path memo(String key) {
        return root.resolve("memo").resolve(key + ".json");
    }

    /** What decides a candidate's result: its description but for its name, and its recipe. */
    private String key(Candidate candidate) {
        Described d = described(candidate);
        CandidateSpec unnamed = new CandidateSpec("", d.spec().recipe(), d.spec().model(), d.spec().baseDirectory(),
                d.spec().tasks(), d.spec().batchSize(), d.spec().seed(), d.spec().command(), d.spec().timeout(),
                d.spec().required());
        return hash(unnamed.toJson() + "\n" + (d.recipe() == null ? "" : d.recipe())).substring(0, 32);
    }

    /** A remembered outcome under the name of the candidate asked for now. */
    private static EvaluationOutcome named(EvaluationOutcome o, String name) {
        return switch (o) {
            case EvaluationOutcome.Scored s -> new EvaluationOutcome.Scored(name, s.scores(), s.results(),
                    s.duration());
            case EvaluationOutcome.Failed f -> new EvaluationOutcome.Failed(name, f.reason(), f.detail(),
                    f.duration());
        };
    }

    private static Set<Integer> missing(EvaluationOutcome[] outcomes) {
        Set<Integer> m = new LinkedHashSet<>();
        for (int i = 0; i < outcomes.length; i++) {
            if (outcomes[i] == null) {
                m.add(i);
            }
        }
        return m;
    }

    /**
     * Writes a candidate's description into its folder; when the folder held another description, its result and
     * logs are removed first.
     *
     * @return whether the folder was started afresh
     */
    private boolean describe(Path folder, Candidate candidate) {
        Described d = described(candidate);
        CandidateSpec spec = d.spec();
        String recipeText = d.recipe();
        String json = spec.toJson();
        Path file = folder.resolve(CandidateSpec.FILE);
        try {
            if (Files.isRegularFile(file) && Files.readString(file).equals(json)
                    && (recipeText == null || recipeText.equals(readOrNull(folder.resolve(CandidateSpec.RECIPE))))) {
                return false;
            }
            boolean existed = Files.exists(folder);
            if (existed) {
                try (var old = Files.list(folder)) {
                    for (Path p : old.toList()) {
                        if (Files.isDirectory(p)) {
                            dev.evomerge.tensor.io.StagedDirectory.deleteRecursively(p);
                        } else {
                            Files.delete(p);
                        }
                    }
                }
            }
            Files.createDirectories(folder);
            if (recipeText != null) {
                writeAtomically(folder.resolve(CandidateSpec.RECIPE), recipeText);
            }
            writeAtomically(file, json);
            return existed;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot describe " + candidate.name() + " in " + folder, e);
        }
    }

    /** A candidate's description, and its recipe's text when it is a recipe. */
    private record Described(CandidateSpec spec, String recipe) {
    }

    private Described described(Candidate candidate) {
        CandidateSpec spec;
        String recipeText = null;
        switch (candidate) {
            case Candidate.Recipe r -> {
                recipeText = MergeConfigWriter.write(r.config());
                spec = spec(r.name(), Optional.of(CandidateSpec.RECIPE), Optional.empty(), r.baseDirectory());
            }
            case Candidate.Directory d -> spec = spec(d.name(), Optional.empty(),
                    Optional.of(d.dir().toAbsolutePath().normalize()), d.dir().toAbsolutePath().normalize());
            case Candidate.InMemory m -> throw new IllegalArgumentException("candidate " + m.name()
                    + " is in memory; a Slurm task needs a recipe or a model directory");
        }
        return new Described(spec, recipeText);
    }

    private CandidateSpec spec(String name, Optional<String> recipe, Optional<Path> model, Path base) {
        return new CandidateSpec(name, recipe, model, base, runs, evaluation.batchSize(), seed, evaluation.command(),
                evaluation.timeout(), required);
    }

    private void submit(Path dir, String jobName, Set<Integer> indices) {
        Path script = dir.resolve("task.sh");
        StringBuilder s = new StringBuilder("#!/bin/sh\n");
        s.append("# one candidate of ").append(dir.getFileName()).append(": evomerge run-candidate in its folder\n");
        s.append("cd \"").append(dir).append("/$SLURM_ARRAY_TASK_ID\" || exit 3\n");
        s.append("exec");
        for (String w : evomerge) {
            s.append(' ').append(quote(w));
        }
        s.append(" run-candidate .\n");
        try {
            writeAtomically(script, s.toString());
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + script, e);
        }
        String array = indices.stream().map(String::valueOf).collect(Collectors.joining(","))
                + (settings.arrayParallelism() > 0 ? "%" + settings.arrayParallelism() : "");
        List<String> argv = new ArrayList<>(List.of("sbatch", "--parsable", "--job-name=" + jobName,
                "--array=" + array, "--chdir=" + dir, "--output=" + dir + "/%a/slurm-%A_%a.out", "--requeue"));
        settings.partition().ifPresent(p -> argv.add("--partition=" + p));
        settings.gres().ifPresent(g -> argv.add("--gres=" + g));
        settings.time().ifPresent(t -> argv.add("--time=" + t));
        argv.addAll(settings.sbatchArguments());
        argv.add(script.toString());
        String out = run(argv);
        events.debug("submitted " + jobName + " as job " + out.strip() + " (tasks " + array + ")");
    }

    /**
     * The batch's tasks as the controller knows them: by array index, those still to run or running (pending,
     * running, requeued, ...) with their task id ({@code 37_2}) and, for the others, the state the latest
     * submission ended in (while the controller still remembers it).
     */
    record Queue(Map<Integer, String> active, Map<Integer, String> ended) {
    }

    /**
     * Asks {@code squeue} about the batch's tasks. A controller that does not answer (a restart) is asked again every
     * second for {@link #CONTROLLER_PATIENCE} before the run gives up.
     */
    private Queue queued(String jobName) {
        long since = System.nanoTime();
        String out;
        while (true) {
            try {
                out = run(List.of("squeue", "--noheader", "--array", "--states=all", "--name=" + jobName,
                        "--format=%i|%T"));
                break;
            } catch (RunException e) {
                if (System.nanoTime() - since > CONTROLLER_PATIENCE.toNanos()) {
                    throw e;
                }
                events.debug("squeue did not answer (" + e.getMessage() + "); asking again");
                sleep(Duration.ofSeconds(1));
            }
        }
        Map<Integer, String> active = new TreeMap<>();
        Map<Integer, String> ended = new TreeMap<>();
        Map<Integer, Long> endedJob = new HashMap<>();
        Map<Integer, Long> activeJob = new HashMap<>();
        for (String line : out.split("\n")) {
            String[] f = line.strip().split("\\|");
            int us = f[0].indexOf('_');
            if (f.length < 2 || us < 0) {
                continue;
            }
            long job = Long.parseLong(f[0].substring(0, us));
            String state = f[1].strip();
            for (int i : indices(f[0].substring(us + 1))) {
                if (!ENDED.contains(state)) {
                    if (job >= activeJob.getOrDefault(i, -1L)) {
                        activeJob.put(i, job);
                        active.put(i, job + "_" + i);
                    }
                } else if (job >= endedJob.getOrDefault(i, -1L)) {
                    endedJob.put(i, job);
                    ended.put(i, state);
                }
            }
        }
        return new Queue(active, ended);
    }

    /** The indices of {@code 3} or of a pending array not yet split, {@code [0-3,5%2]}. */
    private static List<Integer> indices(String text) {
        if (!text.startsWith("[")) {
            return List.of(Integer.parseInt(text));
        }
        int close = text.indexOf(']');
        List<Integer> out = new ArrayList<>();
        for (String part : text.substring(1, close < 0 ? text.length() : close).split("%")[0].split(",")) {
            String[] range = part.split("-");
            int from = Integer.parseInt(range[0]);
            int to = range.length > 1 ? Integer.parseInt(range[1]) : from;
            for (int i = from; i <= to; i++) {
                out.add(i);
            }
        }
        return out;
    }

    /** Why a task ended without a result: the state Slurm gives, else what it wrote in the task's log. */
    private static String reason(String state, Path folder) {
        Optional<Path> log = lastLog(folder);
        if (state != null) {
            switch (state) {
                case "CANCELLED" -> {
                    return "was cancelled";
                }
                case "TIMEOUT", "DEADLINE" -> {
                    return "timed out";
                }
                case "NODE_FAIL", "BOOT_FAIL" -> {
                    return "was lost with its node";
                }
                case "OUT_OF_MEMORY" -> {
                    return "ran out of memory";
                }
                case "PREEMPTED" -> {
                    return "was preempted";
                }
                case "FAILED" -> {
                    return "failed" + log.map(l -> " (see " + l + ")").orElse("");
                }
                default -> {
                    // COMPLETED without a result, or another end: what the log says
                }
            }
        }
        String text = log.map(SlurmEvaluator::readOrNull).orElse(null);
        if (text != null) {
            for (String line : text.split("\n")) {
                if (line.contains("CANCELLED") && line.contains("DUE TO TIME LIMIT")) {
                    return "timed out";
                }
                if (line.contains("DUE TO NODE FAILURE")) {
                    return "was lost with its node";
                }
                if (line.contains("CANCELLED")) {
                    return "was cancelled";
                }
                if (line.contains("DUE TO PREEMPTION")) {
                    return "was preempted";
                }
            }
        }
        return "ended without a result" + log.map(l -> " (see " + l + ")").orElse("");
    }

    private static Optional<Path> lastLog(Path folder) {
        try (var files = Files.list(folder)) {
            return files.filter(p -> p.getFileName().toString().startsWith("slurm-")).max((a, b) -> {
                try {
                    return Files.getLastModifiedTime(a).compareTo(Files.getLastModifiedTime(b));
                } catch (IOException e) {
                    return 0;
                }
            });
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static String tail(Path folder) {
        String text = lastLog(folder).map(SlurmEvaluator::readOrNull).orElse("");
        String[] lines = text.stripTrailing().split("\n");
        return String.join("\n", List.of(lines).subList(Math.max(0, lines.length - 10), lines.length));
    }

    /** Runs a Slurm command and returns its standard output; a failure is a {@link RunException}. */
    private static String run(List<String> argv) {
        Process p;
        try {
            p = new ProcessBuilder(argv).redirectErrorStream(false).start();
        } catch (IOException e) {
            throw new RunException("cannot run " + argv.getFirst() + ": " + e.getMessage(), "evaluation.mode slurm"
                    + " needs Slurm's commands (sbatch, squeue) on the PATH of the machine running evolve", e);
        }
        try {
            p.getOutputStream().close();
            var out = p.getInputStream().readAllBytes();
            var err = p.getErrorStream().readAllBytes();
            if (!p.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new RunException(argv.getFirst() + " did not answer in " + COMMAND_TIMEOUT.toSeconds() + " s",
                        "check that slurmctld is running (scontrol ping)");
            }
            if (p.exitValue() != 0) {
                String e = new String(err, StandardCharsets.UTF_8).strip();
                throw new RunException(argv.getFirst() + " failed (exit " + p.exitValue() + "): " + e,
                        "check evaluation.slurm (partition, gres, time, sbatch_args) and that the cluster is up");
            }
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new RunException("cannot read the output of " + argv.getFirst() + ": " + e.getMessage(), null, e);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new RunException("the run was interrupted", "resume it with --resume");
        }
    }

    private static Map<Integer, Integer> readSubmissions(Path dir) {
        Map<Integer, Integer> m = new HashMap<>();
        Path file = dir.resolve(SUBMISSIONS);
        if (Files.isRegularFile(file)) {
            try {
                JsonNode o = JSON.readTree(file.toFile());
                o.properties().forEach(e -> m.put(Integer.parseInt(e.getKey()), e.getValue().asInt()));
            } catch (IOException | NumberFormatException e) {
                // an unreadable count starts the count again: at worst a task gets more retries
            }
        }
        return m;
    }

    private static void writeSubmissions(Path dir, Map<Integer, Integer> submitted) {
        ObjectNode o = JSON.createObjectNode();
        new TreeMap<>(submitted).forEach((k, v) -> o.put(Integer.toString(k), v));
        try {
            writeAtomically(dir.resolve(SUBMISSIONS), JSON.writeValueAsString(o) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dir.resolve(SUBMISSIONS), e);
        }
    }

    private static void writeAtomically(Path file, String text) throws IOException {
        Path temp = file.resolveSibling("." + file.getFileName() + ".tmp");
        Files.writeString(temp, text);
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static String readOrNull(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * The command that starts evomerge's command line with this JVM's Java and class path: the class loader's URLs
     * when it has them (the Maven plugin's realm), else {@code java.class.path} (the command-line jar).
     */
    static List<String> thisJvm() {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classPath = System.getProperty("java.class.path");
        if (SlurmEvaluator.class.getClassLoader() instanceof URLClassLoader loader) {
            List<String> entries = new ArrayList<>();
            for (var url : loader.getURLs()) {
                try {
                    entries.add(Path.of(url.toURI()).toString());
                } catch (URISyntaxException | IllegalArgumentException e) {
                    // not a file: skipped
                }
            }
            if (!entries.isEmpty()) {
                classPath = String.join(File.pathSeparator, entries);
            }
        }
        // the task runs in the candidate's folder: relative entries would point elsewhere
        classPath = Arrays.stream(classPath.split(File.pathSeparator)).filter(e -> !e.isEmpty())
                .map(e -> Path.of(e).toAbsolutePath().toString()).collect(Collectors.joining(File.pathSeparator));
        return List.of(java, "-XX:+UseSerialGC", "--enable-native-access=ALL-UNNAMED", "-cp", classPath,
                "dev.evomerge.cli.EvomergeCli");
    }

    private static String quote(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }

    /** A name safe for folders and job names. */
    static String safe(String name) {
        String s = name.replaceAll("[^A-Za-z0-9._-]+", "_");
        return s.isEmpty() ? "batch" : s;
    }

    private static String hash(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RunException("the run was interrupted", "resume it with --resume");
        }
    }
}
