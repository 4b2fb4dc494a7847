package dev.evomerge.exec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.evomerge.config.MergeConfigWriter;
import dev.evomerge.diag.EvomergeException;
import dev.evomerge.eval.Candidate;
import dev.evomerge.eval.EvaluationOutcome;
import dev.evomerge.eval.fitness.Objective;
import dev.evomerge.io.AtomicFile;
import dev.evomerge.search.evolve.EvaluationSettings;
import dev.evomerge.tensor.io.StagedDirectory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The files the driver and the array tasks share under {@code WORK/slurm/}: a folder per batch, in it a folder per
 * candidate (named by its index) with its description ({@link CandidateSpec}, the recipe beside it) and, once a task
 * ran, its {@code result.json} and logs; the batch's {@code submissions.json} (how often each candidate was
 * submitted); and {@code memo/}, every result kept under the key of what decides it, so that the same candidate on
 * the same documents (the chosen recipe scored again for the summary, a resumed run) is not evaluated twice.
 */
final class SlurmFolders {

    static final String SUBMISSIONS = "submissions.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path root;
    private final EvaluationSettings evaluation;
    private final List<CandidateSpec.Run> runs;
    private final List<Objective> required;
    private final long seed;

    SlurmFolders(Path workDirectory, EvaluationSettings evaluation, List<CandidateSpec.Run> runs,
            List<Objective> required, long seed) {
        this.root = workDirectory.toAbsolutePath().normalize().resolve("slurm");
        this.evaluation = evaluation;
        this.runs = List.copyOf(runs);
        this.required = List.copyOf(required);
        this.seed = seed;
    }

    /** The folder of a batch. */
    Path batch(String batch) {
        return root.resolve(safe(batch));
    }

    /** The name of every job of a batch: from the batch and its folder, so that a resumed driver finds its jobs. */
    String jobName(String batch) {
        return "evomerge-" + safe(batch) + "-" + hash(batch(batch).toString()).substring(0, 8);
    }

    /** What decides a candidate's result: its description but for its name, and its recipe. */
    String key(Candidate candidate) {
        Described d = described(candidate);
        CandidateSpec unnamed = new CandidateSpec("", d.spec().recipe(), d.spec().model(), d.spec().baseDirectory(),
                d.spec().tasks(), d.spec().batchSize(), d.spec().seed(), d.spec().command(), d.spec().timeout(),
                d.spec().required());
        return hash(unnamed.toJson() + "\n" + (d.recipe() == null ? "" : d.recipe())).substring(0, 32);
    }

    /** The outcome remembered under {@code key}, under the name of the candidate asked for now. */
    Optional<EvaluationOutcome> remembered(String key, String name) {
        return CandidateTask.readResult(memo(key)).map(o -> named(o, name));
    }

    /** The result a task wrote in the folder of candidate {@code i}, also remembered under the candidate's key. */
    Optional<EvaluationOutcome> collect(Path dir, int i, String key) {
        Path result = dir.resolve(Integer.toString(i)).resolve(CandidateTask.RESULT);
        Optional<EvaluationOutcome> outcome = CandidateTask.readResult(result);
        if (outcome.isPresent() && !Files.exists(memo(key))) {
            try {
                AtomicFile.write(memo(key), Files.readString(result));
            } catch (IOException | EvomergeException e) {
                // the memo only saves work
            }
        }
        return outcome;
    }

    /**
     * Writes a candidate's description into its folder; when the folder held another description, its result and
     * logs are removed first.
     *
     * @return whether the folder was started afresh
     */
    boolean describe(Path folder, Candidate candidate) {
        Described d = described(candidate);
        String recipeText = d.recipe();
        String json = d.spec().toJson();
        Path file = folder.resolve(CandidateSpec.FILE);
        try {
            if (Files.isRegularFile(file) && Files.readString(file).equals(json) && (recipeText == null
                    || recipeText.equals(SlurmTaskLog.readOrNull(folder.resolve(CandidateSpec.RECIPE))))) {
                return false;
            }
            boolean existed = Files.exists(folder);
            if (existed) {
                try (var old = Files.list(folder)) {
                    for (Path p : old.toList()) {
                        if (Files.isDirectory(p)) {
                            StagedDirectory.deleteRecursively(p);
                        } else {
                            Files.delete(p);
                        }
                    }
                }
            }
            Files.createDirectories(folder);
            if (recipeText != null) {
                AtomicFile.write(folder.resolve(CandidateSpec.RECIPE), recipeText);
            }
            AtomicFile.write(file, json);
            return existed;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot describe " + candidate.name() + " in " + folder, e);
        }
    }

    /** How often each candidate of a batch was submitted, by index (empty when unknown). */
    static Map<Integer, Integer> submissions(Path dir) {
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

    static void writeSubmissions(Path dir, Map<Integer, Integer> submitted) {
        ObjectNode o = JSON.createObjectNode();
        new TreeMap<>(submitted).forEach((k, v) -> o.put(Integer.toString(k), v));
        try {
            AtomicFile.write(dir.resolve(SUBMISSIONS), JSON.writeValueAsString(o) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dir.resolve(SUBMISSIONS), e);
        }
    }

    private Path memo(String key) {
        return root.resolve("memo").resolve(key + ".json");
    }

    /** A candidate's description, and its recipe's text when it is a recipe. */
    private record Described(CandidateSpec spec, String recipe) {
    }

    private Described described(Candidate candidate) {
        return switch (candidate) {
            case Candidate.Recipe r -> new Described(spec(r.name(), Optional.of(CandidateSpec.RECIPE),
                    Optional.empty(), r.baseDirectory()), MergeConfigWriter.write(r.config()));
            case Candidate.Directory d -> new Described(spec(d.name(), Optional.empty(),
                    Optional.of(d.dir().toAbsolutePath().normalize()), d.dir().toAbsolutePath().normalize()), null);
            case Candidate.InMemory m -> throw new IllegalArgumentException("candidate " + m.name()
                    + " is in memory; a Slurm task needs a recipe or a model directory");
        };
    }

    private CandidateSpec spec(String name, Optional<String> recipe, Optional<Path> model, Path base) {
        return new CandidateSpec(name, recipe, model, base, runs, evaluation.batchSize(), seed, evaluation.command(),
                evaluation.timeout(), required);
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

    /** A name safe for folders and job names. */
    private static String safe(String name) {
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
}
