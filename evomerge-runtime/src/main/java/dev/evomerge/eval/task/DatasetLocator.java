package dev.evomerge.eval.task;

import dev.evomerge.config.YamlMapping;
import dev.evomerge.config.YamlNode;
import dev.evomerge.config.YamlScalar;
import dev.evomerge.config.YamlSequence;
import dev.evomerge.diag.ConfigException;
import dev.evomerge.eval.data.Dataset;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Turns a task file's {@code dataset_path} (and {@code dataset_kwargs.data_files}) into a local {@link Dataset}.
 * Paths are relative to the task file's folder. Accepted forms:
 *
 * <ul>
 *   <li>{@code dataset_path: data/qa.jsonl}: one file, answering for every split;</li>
 *   <li>{@code dataset_path: data/qa}: a folder of split files ({@code test.jsonl}, {@code validation.json},
 *       {@code train.csv}, ...);</li>
 *   <li>{@code dataset_path: json} (or {@code csv}) with {@code dataset_kwargs: {data_files: {test: qa.jsonl}}}, as
 *       lm-evaluation-harness users write local data ({@code data_files} may also be one file or a list, which
 *       Hugging Face names the {@code train} split).</li>
 * </ul>
 *
 * Nothing is downloaded: a {@code dataset_path} that is not a local path and looks like a Hugging Face Hub id is
 * refused with what to do.
 */
final class DatasetLocator {

    private static final Pattern HUB_ID = Pattern.compile("[A-Za-z0-9][\\w.-]*(/[\\w.-]+)?");

    private DatasetLocator() {
    }

    static Dataset locate(YamlMapping m, Path taskFile) {
        YamlNode pathNode = m.require("dataset_path");
        String value = TaskFileReader.text(pathNode, "a path");
        m.getNonNull("dataset_name").ifPresent(n -> {
            throw n.error("dataset_name picks a configuration of a Hugging Face Hub dataset; local data has none",
                    "remove dataset_name, or point dataset_path at the folder of that configuration's files");
        });
        Path base = taskFile.toAbsolutePath().getParent();
        YamlMapping kwargs = m.getNonNull("dataset_kwargs").map(YamlNode::asMapping).orElse(null);
        if (kwargs != null) {
            for (String key : kwargs.keys()) {
                if (!key.equals("data_files") && !key.equals("trust_remote_code")) {
                    throw new ConfigException(kwargs.keyLocation(key), "dataset_kwargs." + key
                            + " is not supported", "use dataset_kwargs.data_files, or a local dataset_path");
                }
            }
        }
        if (value.equals("json") || value.equals("csv")) {
            YamlNode files = kwargs == null ? null : kwargs.getNonNull("data_files").orElse(null);
            if (files == null) {
                throw pathNode.error("dataset_path " + value + " needs dataset_kwargs.data_files",
                        "add dataset_kwargs: {data_files: {test: path/to/test." + value + "}}, or set"
                                + " dataset_path to the data file or folder itself");
            }
            return Dataset.splits(dataFiles(files, base, value));
        }
        if (kwargs != null && kwargs.has("data_files")) {
            throw new ConfigException(kwargs.keyLocation("data_files"), "data_files needs dataset_path json or csv",
                    "set dataset_path: json (or csv), or drop data_files and point dataset_path at the data");
        }
        Path path = resolve(pathNode, value, base);
        if (Files.isDirectory(path)) {
            return Dataset.folder(path);
        }
        if (Files.isRegularFile(path)) {
            return Dataset.file(path);
        }
        if (!value.startsWith(".") && !value.startsWith("/") && HUB_ID.matcher(value).matches()) {
            throw pathNode.error("dataset_path '" + value + "' is not a local file or folder (" + path
                    + "); it looks like a Hugging Face Hub dataset, and evomerge does not download datasets",
                    "save its splits as JSON Lines files in a folder (test.jsonl, validation.jsonl, ...) and point"
                            + " dataset_path at that folder");
        }
        throw pathNode.error("dataset_path " + path + " does not exist", "check the path (it is relative to the"
                + " task file's folder)");
    }

    private static Map<String, List<Path>> dataFiles(YamlNode files, Path base, String kind) {
        Map<String, List<Path>> out = new LinkedHashMap<>();
        switch (files) {
            case YamlScalar s -> out.put("train", List.of(file(s, base, kind)));
            case YamlSequence seq -> out.put("train", paths(seq, base, kind));
            case YamlMapping map -> map.entries().forEach((split, n) ->
                    out.put(split, n instanceof YamlSequence seq ? paths(seq, base, kind) : List.of(file(n, base,
                            kind))));
        }
        return out;
    }

    private static List<Path> paths(YamlSequence seq, Path base, String kind) {
        List<Path> out = new ArrayList<>();
        seq.items().forEach(n -> out.add(file(n, base, kind)));
        return out;
    }

    private static Path file(YamlNode n, Path base, String kind) {
        String value = TaskFileReader.text(n, "a file path");
        if (value.contains("*") || value.contains("://")) {
            throw n.error("data_files entries must be local file paths (no patterns, no URLs): " + value);
        }
        Path p = resolve(n, value, base);
        if (!Files.isRegularFile(p)) {
            throw n.error("data file " + p + " does not exist", "check the path (it is relative to the task"
                    + " file's folder)");
        }
        String lower = p.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        boolean json = lower.endsWith(".json") || lower.endsWith(".jsonl");
        if (kind.equals("json") != json || (!json && !lower.endsWith(".csv"))) {
            throw n.error("data file " + p.getFileName() + " does not match dataset_path " + kind,
                    "use ." + (kind.equals("json") ? "json or .jsonl" : "csv") + " files");
        }
        return p;
    }

    private static Path resolve(YamlNode n, String value, Path base) {
        try {
            return base.resolve(value).normalize();
        } catch (InvalidPathException e) {
            throw n.error("not a valid path: " + value);
        }
    }
}
