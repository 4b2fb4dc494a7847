package dev.evomerge.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.evomerge.diag.InputException;
import dev.evomerge.model.ResolvedModel;
import dev.evomerge.model.TokenizerFiles;
import dev.evomerge.tensor.io.SafetensorsModel;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.SequencedSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * {@code evomerge.lock.json}, written into every model directory a merge or an evolve run writes: what the model was
 * built from and what it is, so that a later build can check its inputs and anyone can rebuild it to the same bytes
 * ({@code evomerge verify}). It records the evomerge version, the recipe (its text and SHA-256), the seed and the
 * shard size, and for every input model the reference as the recipe writes it, the directory it resolved to and
 * the size and SHA-256 of each file the merge reads (config.json, the weight shards and their index, the tokenizer
 * files), and the size and SHA-256 of every file of the output but the lock itself. Immutable.
 *
 * @param evomergeVersion the version that wrote the lock
 * @param kind {@code merge} or {@code evolve}
 * @param recipe the recipe's mergekit YAML, byte for byte
 * @param recipeFile where the recipe was read from (a merge's config, an evolve run's {@code best.yml})
 * @param seed the merge seed (the stochastic methods' coin flips)
 * @param outShardSize the shard size limit the output was written with
 * @param baseDirectory what the recipe's relative model paths were resolved against
 * @param inputs the input models, in the order the recipe names them
 * @param outputs the output's files in path order
 */
public record LockFile(String evomergeVersion, String kind, String recipe, Path recipeFile, long seed,
        long outShardSize, Path baseDirectory, List<Input> inputs, List<FileDigest> outputs) {

    /** The lock's file name. */
    public static final String NAME = "evomerge.lock.json";
    /** The format version this class writes and reads. */
    public static final int FORMAT = 1;

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * An input model.
     *
     * @param reference the reference as the recipe writes it
     * @param location the directory it resolved to
     * @param files the files the merge reads from it, in the order listed
     */
    public record Input(String reference, Path location, List<FileDigest> files) {
        public Input {
            Objects.requireNonNull(reference, "reference");
            Objects.requireNonNull(location, "location");
            files = List.copyOf(files);
        }
    }

    public LockFile {
        Objects.requireNonNull(evomergeVersion, "evomergeVersion");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(recipe, "recipe");
        Objects.requireNonNull(recipeFile, "recipeFile");
        Objects.requireNonNull(baseDirectory, "baseDirectory");
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
    }

    /** The SHA-256 of the recipe's UTF-8 bytes. */
    public String recipeSha256() {
        return java.util.HexFormat.of().formatHex(FileDigest.newSha256().digest(recipe.getBytes(
                StandardCharsets.UTF_8)));
    }

    /** The evomerge version of this build, from the runtime's resources ("development build" when unknown). */
    public static String currentVersion() {
        try (InputStream in = LockFile.class.getResourceAsStream("version.txt")) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                String v = p.getProperty("version", "");
                if (!v.isBlank() && !v.startsWith("${")) {
                    return v;
                }
            }
        } catch (IOException e) {
            // fall through
        }
        return "development build";
    }

    /** The lock in a model directory, if it has one. */
    public static Optional<LockFile> in(Path modelDirectory) {
        Path file = modelDirectory.resolve(NAME);
        return Files.isRegularFile(file) ? Optional.of(read(file)) : Optional.empty();
    }

    /**
     * The files of a model directory a merge reads: {@code config.json}, the weight index and shards, and the
     * tokenizer files it has, as paths relative to the directory.
     */
    public static List<String> modelFiles(ResolvedModel model) {
        Path dir = model.directory();
        SequencedSet<String> files = new LinkedHashSet<>();
        files.add("config.json");
        if (SafetensorsModel.hasWeights(dir)) {
            if (Files.isRegularFile(dir.resolve(SafetensorsModel.INDEX_FILE))) {
                files.add(SafetensorsModel.INDEX_FILE);
            }
            try (SafetensorsModel weights = SafetensorsModel.open(dir)) {
                for (Path shard : weights.shards()) {
                    files.add(relative(dir, shard));
                }
            }
        }
        for (Path f : TokenizerFiles.filesToCopy(dir)) {
            files.add(relative(dir, f));
        }
        return List.copyOf(files);
    }

    /**
     * The inputs' entries, each model once (by reference, in the order given), their files hashed through
     * {@code cache} on up to {@code threads} threads.
     */
    public static List<Input> inputs(List<ResolvedModel> models, DigestCache cache, int threads) {
        return inputs(models, cache::digest, threads);
    }

    private static List<Input> inputs(List<ResolvedModel> models,
            java.util.function.BiFunction<Path, String, FileDigest> digest, int threads) {
        java.util.Map<String, ResolvedModel> distinct = new java.util.LinkedHashMap<>();
        for (ResolvedModel m : models) {
            distinct.putIfAbsent(m.reference().toString(), m);
        }
        List<Path> dirs = new ArrayList<>();
        List<String> files = new ArrayList<>();
        List<Integer> counts = new ArrayList<>();
        for (ResolvedModel m : distinct.values()) {
            List<String> own = modelFiles(m);
            for (String f : own) {
                dirs.add(m.directory());
                files.add(f);
            }
            counts.add(own.size());
        }
        List<FileDigest> digests = digestAll(dirs, files, digest, threads);
        List<Input> out = new ArrayList<>();
        int at = 0;
        int i = 0;
        for (ResolvedModel m : distinct.values()) {
            int n = counts.get(i++);
            out.add(new Input(m.reference().toString(), m.directory().toAbsolutePath(), digests.subList(at, at + n)));
            at += n;
        }
        return out;
    }

    /** Input entries being hashed on a thread of their own; see {@link #inputsInBackground}. */
    public static final class PendingInputs {

        private final java.util.concurrent.FutureTask<List<Input>> task;
        private final java.util.concurrent.atomic.AtomicBoolean cancelled;

        private PendingInputs(java.util.concurrent.FutureTask<List<Input>> task,
                java.util.concurrent.atomic.AtomicBoolean cancelled) {
            this.task = task;
            this.cancelled = cancelled;
        }

        /** The entries, waiting for them; a hashing failure is rethrown as it was. */
        public List<Input> await() {
            boolean interrupted = false;
            try {
                while (true) {
                    try {
                        return task.get();
                    } catch (InterruptedException e) {
                        interrupted = true;
                    }
                }
            } catch (java.util.concurrent.ExecutionException e) {
                if (e.getCause() instanceof Error err) {
                    throw err;
                }
                throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        /** Hashes no further file (the merge failed; the file being hashed is finished). */
        public void cancel() {
            cancelled.set(true);
        }
    }

    /**
     * Starts hashing the inputs' files on a daemon thread (with up to {@code threads} threads), so that a merge
     * reads and hashes them side by side; {@link PendingInputs#await} gives the entries.
     */
    public static PendingInputs inputsInBackground(List<ResolvedModel> models, DigestCache cache, int threads) {
        java.util.concurrent.atomic.AtomicBoolean cancelled = new java.util.concurrent.atomic.AtomicBoolean();
        var task = new java.util.concurrent.FutureTask<>(() -> inputs(models, (dir, file) -> {
            if (cancelled.get()) {
                throw new java.util.concurrent.CancellationException("the merge failed");
            }
            return cache.digest(dir, file);
        }, threads));
        Thread.ofPlatform().daemon().name("evomerge-input-digest").start(task);
        return new PendingInputs(task, cancelled);
    }

    /**
     * Every file under a model directory but the lock, in path order, hashed on up to {@code threads} threads (the
     * shards of a large model are hashed side by side), but those whose SHA-256 is in {@code known} (by path),
     * which a writer computed as it wrote them.
     */
    public static List<FileDigest> outputs(Path dir, int threads, java.util.Map<String, String> known) {
        List<String> files;
        try (Stream<Path> walk = Files.walk(dir)) {
            files = walk.filter(Files::isRegularFile).map(p -> relative(dir, p)).filter(p -> !p.equals(NAME))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
        return digestAll(java.util.Collections.nCopies(files.size(), dir), files, (d, f) -> {
            String sha = known.get(f);
            return sha != null ? new FileDigest(f, size(d.resolve(f)), sha) : FileDigest.of(d, f);
        }, threads);
    }

    /** {@code digest} of each {@code (dirs[i], files[i])}, in that order, on up to {@code threads} threads. */
    private static List<FileDigest> digestAll(List<Path> dirs, List<String> files,
            java.util.function.BiFunction<Path, String, FileDigest> digest, int threads) {
        int n = Math.max(1, Math.min(threads, files.size()));
        if (n == 1) {
            List<FileDigest> out = new ArrayList<>();
            for (int i = 0; i < files.size(); i++) {
                out.add(digest.apply(dirs.get(i), files.get(i)));
            }
            return out;
        }
        // largest first, so that no thread is left with the biggest file at the end
        List<Integer> bySize = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            bySize.add(i);
        }
        bySize.sort((a, b) -> Long.compare(size(dirs.get(b).resolve(files.get(b))),
                size(dirs.get(a).resolve(files.get(a)))));
        try (ExecutorService pool = Executors.newFixedThreadPool(n)) {
            List<Future<FileDigest>> futures = new ArrayList<>(java.util.Collections.nCopies(files.size(), null));
            for (int i : bySize) {
                futures.set(i, pool.submit(() -> digest.apply(dirs.get(i), files.get(i))));
            }
            List<FileDigest> out = new ArrayList<>();
            for (Future<FileDigest> f : futures) {
                out.add(f.get());
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while hashing " + files, e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }

    /**
     * Checks that every input file still has the size and SHA-256 this lock records.
     *
     * @throws InputException naming the first file that is missing or differs, with both hashes
     */
    public void checkInputs(Path lockFile, DigestCache cache) {
        for (Input in : inputs) {
            for (FileDigest expected : in.files()) {
                Path file = in.location().resolve(expected.path());
                if (!Files.isRegularFile(file)) {
                    throw new InputException(file, "is missing, but " + lockFile + " records it as an input of "
                            + in.reference() + " (SHA-256 " + expected.sha256() + ")",
                            "restore the input, or delete " + lockFile + " to build from the inputs as they are now");
                }
                FileDigest actual = cache.digest(in.location(), expected.path());
                if (!actual.sha256().equals(expected.sha256()) || actual.size() != expected.size()) {
                    throw new InputException(file, "has changed since " + lockFile + " was written: SHA-256 "
                            + expected.sha256() + " (" + expected.size() + " bytes) in the lock, now "
                            + actual.sha256() + " (" + actual.size() + " bytes)",
                            "restore the input, or delete " + lockFile + " to build from the inputs as they are now");
                }
            }
        }
    }

    /**
     * Checks that {@code dir} holds every output file this lock records with its size and SHA-256 (a model
     * unpacked from a repository, say).
     *
     * @throws InputException naming the first file, in path order, that is missing or differs, with both hashes
     */
    public void checkOutputs(Path dir, Path lockFile) {
        for (FileDigest expected : outputs) {
            Path file = dir.resolve(expected.path());
            if (!Files.isRegularFile(file)) {
                throw new InputException(file, "is missing, but " + lockFile + " records it (SHA-256 "
                        + expected.sha256() + ")", "fetch or rebuild the model again");
            }
            FileDigest actual = FileDigest.of(dir, expected.path());
            if (!actual.sha256().equals(expected.sha256()) || actual.size() != expected.size()) {
                throw new InputException(file, "differs from " + lockFile + ": SHA-256 " + expected.sha256() + " ("
                        + expected.size() + " bytes) in the lock, " + actual.sha256() + " (" + actual.size()
                        + " bytes) here", "fetch or rebuild the model again");
            }
        }
    }

    /** Writes the lock as {@code dir/evomerge.lock.json}, through a temporary sibling and a rename. */
    public Path writeInto(Path dir) {
        Path file = dir.resolve(NAME);
        Path temp = dir.resolve(NAME + ".tmp");
        try {
            Files.writeString(temp, toJson(), StandardCharsets.UTF_8);
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
        return file;
    }

    /** The lock's JSON text. */
    public String toJson() {
        ObjectNode o = JSON.createObjectNode();
        o.put("format", FORMAT);
        o.put("evomerge_version", evomergeVersion);
        o.put("kind", kind);
        o.put("recipe_sha256", recipeSha256());
        o.put("recipe_file", recipeFile.toString());
        o.put("recipe", recipe);
        o.put("seed", seed);
        o.put("out_shard_size", outShardSize);
        o.put("base_directory", baseDirectory.toString());
        ArrayNode ins = o.putArray("inputs");
        for (Input in : inputs) {
            ObjectNode i = ins.addObject();
            i.put("reference", in.reference());
            i.put("location", in.location().toString());
            files(i.putArray("files"), in.files());
        }
        files(o.putArray("outputs"), outputs);
        try {
            return JSON.writeValueAsString(o) + "\n";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void files(ArrayNode array, List<FileDigest> files) {
        for (FileDigest f : files) {
            ObjectNode o = array.addObject();
            o.put("path", f.path());
            o.put("size", f.size());
            o.put("sha256", f.sha256());
        }
    }

    /**
     * Reads a lock file.
     *
     * @throws InputException when it cannot be read or is not a lock this version understands
     */
    public static LockFile read(Path file) {
        JsonNode o;
        try {
            o = JSON.readTree(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new InputException(file, "cannot be read as a lock file: " + firstLine(e.getMessage()),
                    "give the evomerge.lock.json a merge or evolve run wrote", e);
        }
        try {
            if (o == null || !o.isObject() || o.path("format").asInt(-1) != FORMAT) {
                throw new IllegalArgumentException("it has no \"format\": " + FORMAT);
            }
            List<Input> inputs = new ArrayList<>();
            for (JsonNode i : required(o, "inputs")) {
                inputs.add(new Input(text(i, "reference"), Path.of(text(i, "location")), files(required(i, "files"))));
            }
            LockFile lock = new LockFile(text(o, "evomerge_version"), text(o, "kind"), text(o, "recipe"),
                    Path.of(text(o, "recipe_file")), required(o, "seed").asLong(),
                    required(o, "out_shard_size").asLong(), Path.of(text(o, "base_directory")), inputs,
                    files(required(o, "outputs")));
            String hash = text(o, "recipe_sha256");
            if (!hash.equals(lock.recipeSha256())) {
                throw new IllegalArgumentException("its recipe does not have the recipe_sha256 it records (" + hash
                        + ")");
            }
            return lock;
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new InputException(file, "is not a valid evomerge lock file: " + e.getMessage(),
                    "give the evomerge.lock.json a merge or evolve run wrote, unedited");
        }
    }

    private static List<FileDigest> files(JsonNode array) {
        List<FileDigest> out = new ArrayList<>();
        for (JsonNode f : array) {
            String sha = text(f, "sha256");
            if (!sha.matches("[0-9a-f]{64}")) {
                throw new IllegalArgumentException("\"" + sha + "\" is not a SHA-256");
            }
            out.add(new FileDigest(text(f, "path"), required(f, "size").asLong(), sha));
        }
        return out;
    }

    private static JsonNode required(JsonNode o, String key) {
        JsonNode v = o.get(key);
        if (v == null || v.isNull()) {
            throw new IllegalArgumentException("\"" + key + "\" is missing");
        }
        return v;
    }

    private static String text(JsonNode o, String key) {
        JsonNode v = required(o, key);
        if (!v.isTextual()) {
            throw new IllegalArgumentException("\"" + key + "\" is not a string");
        }
        return v.asText();
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse("");
    }

    static String relative(Path dir, Path file) {
        return dir.relativize(file).toString().replace(java.io.File.separatorChar, '/');
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }
}
