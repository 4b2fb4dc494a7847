package dev.evomerge.tensor.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.evomerge.diag.InputException;
import dev.evomerge.json.JsonTrees;
import dev.evomerge.tensor.Conversions;
import dev.evomerge.tensor.TensorInfo;
import dev.evomerge.tensor.TensorSource;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.SequencedSet;
import java.util.stream.Stream;

/**
 * The weights of a model in safetensors form: a single file, or shards listed by {@code model.safetensors.index.json}
 * that are mapped lazily, the first time one of their tensors is asked for. {@link #close()} unmaps every shard.
 *
 * {@snippet :
 * try (SafetensorsModel weights = SafetensorsModel.open(modelDir)) {
 *     float[] embed = weights.floats("model.embed_tokens.weight");
 * }
 * }
 *
 * <p>Thread-safe for reads.
 */
public final class SafetensorsModel implements TensorSource, AutoCloseable {

    /** The single-file name, as transformers and mergekit write it. */
    public static final String SINGLE_FILE = "model.safetensors";
    /** The index of a sharded model. */
    public static final String INDEX_FILE = "model.safetensors.index.json";

    private final Path location;
    /** Shard file of each tensor, in index (or header) order. */
    private final Map<String, Path> shardOf;
    private final Map<Path, SafetensorsFile> open = new LinkedHashMap<>();
    private boolean closed;

    private SafetensorsModel(Path location, Map<String, Path> shardOf) {
        this.location = location;
        this.shardOf = Collections.unmodifiableMap(shardOf);
    }

    /**
     * Opens a model directory or a single {@code .safetensors} file. In a directory it looks for
     * {@code model.safetensors}, then {@code model.safetensors.index.json}, then a lone {@code *.safetensors} file.
     * Pickle checkpoints ({@code pytorch_model*.bin}) are refused, never unpickled.
     */
    public static SafetensorsModel open(Path dirOrFile) {
        if (Files.isRegularFile(dirOrFile)) {
            return single(dirOrFile);
        }
        if (!Files.isDirectory(dirOrFile)) {
            throw new InputException(dirOrFile, "no such model directory or safetensors file",
                    "check the path");
        }
        Path single = dirOrFile.resolve(SINGLE_FILE);
        if (Files.isRegularFile(single)) {
            return single(single);
        }
        Path index = dirOrFile.resolve(INDEX_FILE);
        if (Files.isRegularFile(index)) {
            return sharded(dirOrFile, index);
        }
        List<Path> safetensors = list(dirOrFile, "*.safetensors");
        if (safetensors.size() == 1) {
            return single(safetensors.get(0));
        }
        if (safetensors.size() > 1) {
            throw new InputException(dirOrFile, "has " + safetensors.size() + " .safetensors files but no "
                    + INDEX_FILE, "add the index file that lists which shard holds each tensor");
        }
        if (!list(dirOrFile, "pytorch_model*.bin").isEmpty()) {
            throw new InputException(dirOrFile, "holds only pickle checkpoints (pytorch_model*.bin), which evomerge"
                    + " never unpickles", "convert the model to safetensors, e.g. load it with transformers and"
                    + " save_pretrained(dir, safe_serialization=True)");
        }
        throw new InputException(dirOrFile, "holds no safetensors weights (no " + SINGLE_FILE + " or " + INDEX_FILE
                + ")", "point at a Hugging Face model directory");
    }

    private static SafetensorsModel single(Path file) {
        SafetensorsFile f = SafetensorsFile.open(file);
        Map<String, Path> shardOf = new LinkedHashMap<>();
        for (String name : f.header().entries().keySet()) {
            shardOf.put(name, file);
        }
        SafetensorsModel model = new SafetensorsModel(file, shardOf);
        model.open.put(file, f);
        return model;
    }

    private static SafetensorsModel sharded(Path dir, Path index) {
        JsonNode root;
        try {
            root = JsonTrees.STRICT.read(index);
        } catch (JsonProcessingException e) {
            throw new InputException(index, "index is not valid JSON: " + e.getOriginalMessage(),
                    "re-export the model");
        } catch (IOException e) {
            throw new InputException(index, "cannot read the index: " + e.getMessage(), null, e);
        }
        JsonNode weightMap = root == null ? null : root.get("weight_map");
        if (weightMap == null || !weightMap.isObject()) {
            throw new InputException(index, "index has no weight_map object", "re-export the model");
        }
        Map<String, Path> shardOf = new LinkedHashMap<>();
        for (var e : weightMap.properties()) {
            if (!e.getValue().isTextual()) {
                throw new InputException(index, "weight_map entry for '" + e.getKey() + "' is not a file name",
                        "re-export the model");
            }
            String fileName = e.getValue().textValue();
            Path shard = dir.resolve(fileName).normalize();
            if (!shard.getParent().equals(dir.normalize())) {
                throw new InputException(index, "weight_map names '" + fileName + "' outside the model directory",
                        "re-export the model");
            }
            if (!Files.isRegularFile(shard)) {
                throw new InputException(index, "names shard '" + fileName + "' (for tensor '" + e.getKey()
                        + "') which does not exist", "download the missing shard");
            }
            shardOf.put(e.getKey(), shard);
        }
        return new SafetensorsModel(index, shardOf);
    }

    private static List<Path> list(Path dir, String glob) {
        List<Path> out = new ArrayList<>();
        try (var stream = Files.newDirectoryStream(dir, glob)) {
            stream.forEach(out::add);
        } catch (IOException e) {
            throw new InputException(dir, "cannot list the directory: " + e.getMessage(), null, e);
        }
        Collections.sort(out);
        return out;
    }

    /** The file or index this model was opened from. */
    public Path location() {
        return location;
    }

    /** The distinct shard files, in the order their first tensor appears. */
    public List<Path> shards() {
        return List.copyOf(new LinkedHashSet<>(shardOf.values()));
    }

    @Override
    public SequencedSet<String> names() {
        return Collections.unmodifiableSequencedSet(new LinkedHashSet<>(shardOf.keySet()));
    }

    @Override
    public boolean contains(String name) {
        return shardOf.containsKey(name);
    }

    @Override
    public Optional<TensorInfo> info(String name) {
        Path shard = shardOf.get(name);
        return shard == null ? Optional.empty() : Optional.of(file(shard).info(name));
    }

    @Override
    public MemorySegment bytes(String name) {
        return file(shardFor(name)).bytes(name);
    }

    @Override
    public float[] floats(String name) {
        SafetensorsFile f = file(shardFor(name));
        return Conversions.toFloats(f.bytes(name), f.info(name), f.path());
    }

    @Override
    public void release(String name) {
        MemorySegment bytes = bytes(name);
        if (bytes.isMapped() && bytes.byteSize() > 0) {
            bytes.unload();
        }
    }

    /** The file holding a tensor (mapping it if needed). */
    public Path fileOf(String name) {
        return shardFor(name);
    }

    private Path shardFor(String name) {
        Path shard = shardOf.get(name);
        if (shard == null) {
            throw new NoSuchElementException("no tensor '" + name + "' in " + location);
        }
        return shard;
    }

    private synchronized SafetensorsFile file(Path shard) {
        if (closed) {
            throw new IllegalStateException("model " + location + " is closed");
        }
        SafetensorsFile f = open.get(shard);
        if (f == null) {
            f = SafetensorsFile.open(shard);
            try {
                checkShardHasItsTensors(f);
            } catch (RuntimeException e) {
                f.close();
                throw e;
            }
            open.put(shard, f);
        }
        return f;
    }

    private void checkShardHasItsTensors(SafetensorsFile f) {
        for (var e : shardOf.entrySet()) {
            if (e.getValue().equals(f.path()) && !f.header().entries().containsKey(e.getKey())) {
                throw new InputException(location, "index puts tensor '" + e.getKey() + "' in '"
                        + f.path().getFileName() + "', which does not have it", "re-export the model");
            }
        }
    }

    /** The first open shard whose size changed since it was mapped (see {@link SafetensorsFile#changedSinceOpened}). */
    public synchronized Optional<Path> changedShard() {
        return open.values().stream().filter(SafetensorsFile::changedSinceOpened).map(SafetensorsFile::path)
                .findFirst();
    }

    /**
     * Whether {@code e} (or a cause) is the JVM's report of a fault while reading mapped memory: what reading a
     * mapped file that was truncated meanwhile gives.
     */
    public static boolean isMappingFault(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof InternalError && String.valueOf(t.getMessage()).contains("unsafe memory access")) {
                return true;
            }
            for (Throwable s : t.getSuppressed()) {
                if (isMappingFault(s)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Unmaps every open shard; segments handed out before become invalid. */
    @Override
    public synchronized void close() {
        closed = true;
        RuntimeException first = null;
        for (SafetensorsFile f : open.values()) {
            try {
                f.close();
            } catch (RuntimeException e) {
                first = first == null ? e : first;
            }
        }
        open.clear();
        if (first != null) {
            throw first;
        }
    }

    /** Whether a directory looks like it holds safetensors weights. */
    public static boolean hasWeights(Path dir) {
        if (Files.isRegularFile(dir.resolve(SINGLE_FILE)) || Files.isRegularFile(dir.resolve(INDEX_FILE))) {
            return true;
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.anyMatch(p -> p.getFileName().toString().endsWith(".safetensors"));
        } catch (IOException e) {
            return false;
        }
    }
}
