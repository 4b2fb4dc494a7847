package dev.evomerge.eval.data;

import dev.evomerge.diag.InputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A task's documents, split by name, from local files only. Three layouts:
 *
 * <ul>
 *   <li>{@link #file(Path)}: one JSON, JSON Lines or CSV file. It has no split names of its own, so it answers for
 *       every split a task asks for (use a folder when training, validation and test documents differ).</li>
 *   <li>{@link #folder(Path)}: a folder with one file per split, named after the split: {@code train.jsonl},
 *       {@code validation.json}, {@code test.csv}; a split may also be sharded as Hugging Face writes it,
 *       {@code test-00000-of-00002.jsonl}, {@code test-00001-of-00002.jsonl} (read in name order). Other files are
 *       ignored.</li>
 *   <li>{@link #splits(Map)}: explicit files per split, as lm-evaluation-harness's {@code dataset_kwargs.data_files}
 *       gives them.</li>
 * </ul>
 *
 * Records are read once, on first use of their split, and kept. Documents are maps from field name to value
 * ({@link Records}); they are shared and must not be modified.
 *
 * <p>Thread-safe.
 */
public final class Dataset {

    private static final Pattern SPLIT_FILE =
            Pattern.compile("(?<split>.+?)(?:-\\d{5}-of-\\d{5})?\\.(?<ext>jsonl|json|csv)");

    private final String description;
    private final Path singleFile;
    private final Map<String, List<Path>> splitFiles;
    private final Map<String, List<Map<String, Object>>> loaded = new HashMap<>();

    private Dataset(String description, Path singleFile, Map<String, List<Path>> splitFiles) {
        this.description = description;
        this.singleFile = singleFile;
        this.splitFiles = splitFiles;
    }

    /** Every file the dataset reads, in a fixed order (for hashing the inputs of a run). */
    public List<Path> files() {
        if (singleFile != null) {
            return List.of(singleFile);
        }
        List<Path> out = new ArrayList<>();
        splitFiles.values().forEach(out::addAll);
        return List.copyOf(out);
    }

    /** One file that answers for every split. */
    public static Dataset file(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new InputException(file, "file not found", "check dataset_path");
        }
        return new Dataset(file.toString(), file, Map.of());
    }

    /**
     * A folder with one file (or one set of shards) per split.
     *
     * @throws InputException when the folder cannot be listed, holds no split files, or one split has files of two
     *     kinds
     */
    public static Dataset folder(Path folder) {
        Map<String, List<Path>> splits = new TreeMap<>();
        Map<String, String> kinds = new HashMap<>();
        try (Stream<Path> files = Files.list(folder)) {
            for (Path f : files.sorted().toList()) {
                Matcher m = SPLIT_FILE.matcher(f.getFileName().toString());
                if (!Files.isRegularFile(f) || !m.matches()) {
                    continue;
                }
                String split = m.group("split");
                String kind = m.group("ext");
                String other = kinds.putIfAbsent(split, kind);
                if (other != null && !other.equals(kind)) {
                    throw new InputException(folder, "split '" + split + "' has both ." + other + " and ." + kind
                            + " files", "keep one file kind per split");
                }
                splits.computeIfAbsent(split, k -> new ArrayList<>()).add(f);
            }
        } catch (IOException e) {
            throw new InputException(folder, "cannot list the dataset folder: " + e.getMessage(), null, e);
        }
        if (splits.isEmpty()) {
            throw new InputException(folder, "the dataset folder holds no split files",
                    "name files after their split, for example test.jsonl, validation.json or train.csv");
        }
        return new Dataset(folder.toString(), null, splits);
    }

    /** Explicit files per split name (each split's files are concatenated in the given order). */
    public static Dataset splits(Map<String, List<Path>> files) {
        if (files.isEmpty()) {
            throw new IllegalArgumentException("no split files");
        }
        Map<String, List<Path>> copy = new TreeMap<>();
        files.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        return new Dataset(copy.toString(), null, copy);
    }

    /** The split names this dataset has; empty for a single file, which answers for any name. */
    public List<String> splitNames() {
        return List.copyOf(splitFiles.keySet());
    }

    /** Whether this dataset has documents under {@code split}. */
    public boolean has(String split) {
        return singleFile != null || splitFiles.containsKey(split);
    }

    /** Whether two split names give the same documents (the same name, or both from a single file). */
    public boolean sameDocuments(String a, String b) {
        return Objects.equals(a, b) || singleFile != null;
    }

    /**
     * The documents of a split, read on first use.
     *
     * @throws InputException when the split does not exist or a file cannot be read
     */
    public synchronized List<Map<String, Object>> split(String name) {
        List<Map<String, Object>> docs = loaded.get(name);
        if (docs != null) {
            return docs;
        }
        if (singleFile != null) {
            docs = loaded.computeIfAbsent("", k -> Collections.unmodifiableList(Records.read(singleFile)));
            loaded.put(name, docs);
            return docs;
        }
        List<Path> files = splitFiles.get(name);
        if (files == null) {
            throw new InputException("dataset " + description + " has no split '" + name + "' (it has "
                    + String.join(", ", splitFiles.keySet()) + ")",
                    "name the split in the task file as the dataset does, or add a " + name + ".jsonl file");
        }
        List<Map<String, Object>> all = new ArrayList<>();
        for (Path f : files) {
            all.addAll(Records.read(f));
        }
        docs = Collections.unmodifiableList(all);
        loaded.put(name, docs);
        return docs;
    }

    @Override
    public String toString() {
        return "dataset " + description;
    }
}
