package dev.evomerge.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.evomerge.diag.InputException;
import dev.evomerge.io.AtomicFile;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;

/**
 * {@code evomerge.lock.json}, written into every model directory a merge or an evolve run writes: what the model was
 * built from and what it is, so that a later build can check its inputs and anyone can rebuild it to the same bytes
 * ({@code evomerge verify}). It records the evomerge version, the recipe (its text and SHA-256), the seed and the
 * shard size, and for every input model the reference as the recipe writes it, the directory it resolved to and
 * the size and SHA-256 of each file the merge reads (config.json, the weight shards and their index, the tokenizer
 * files), and the size and SHA-256 of every file of the output but the lock itself. Immutable.
 *
 * <p>This is the lock's data and its JSON form; {@link LockDigests} takes the hashes it records and
 * {@link LockCheck} checks files against it.
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
        return HexFormat.of().formatHex(FileDigest.newSha256().digest(recipe.getBytes(
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

    /** Writes the lock as {@code dir/evomerge.lock.json}, atomically ({@link AtomicFile}). */
    public Path writeInto(Path dir) {
        Path file = dir.resolve(NAME);
        AtomicFile.write(file, toJson());
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

    /** A file's path in a model directory as the lock records it: relative, with {@code /} separators. */
    static String relative(Path dir, Path file) {
        return dir.relativize(file).toString().replace(File.separatorChar, '/');
    }
}
