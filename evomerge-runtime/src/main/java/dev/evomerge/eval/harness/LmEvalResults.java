package dev.evomerge.eval.harness;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.evomerge.eval.fitness.Scores;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Reads the scores out of lm-evaluation-harness's results JSON: every number under {@code results.TASK}
 * ({@code "acc,none": 0.61}); text such as {@code "N/A"} standard errors and the alias is skipped. Python's
 * {@code NaN} and {@code Infinity} are accepted.
 *
 * <p>lm-evaluation-harness writes its results into a folder with a timestamped name
 * ({@code OUTPUT/<model>/results_2024-05-01T12-00-00.json}), or, when {@code --output_path} ends in {@code .json},
 * next to it with the timestamp added ({@code out_2024-...json}). {@link #locate} finds the file in all these cases.
 *
 * <p>Stateless and thread-safe.
 */
public final class LmEvalResults {

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();
    private static final int MAX_DEPTH = 4;

    private LmEvalResults() {
    }

    /**
     * The results file for an output path: the path itself when it is a file; else the newest {@code results*.json}
     * under it when it is a folder; else the newest {@code NAME_*.json} beside it (lm-evaluation-harness's form for an
     * output path ending in {@code .json}).
     */
    public static Optional<Path> locate(Path output) {
        try {
            if (Files.isRegularFile(output)) {
                return Optional.of(output);
            }
            if (Files.isDirectory(output)) {
                try (Stream<Path> files = Files.walk(output, MAX_DEPTH)) {
                    return newest(files.filter(p -> Files.isRegularFile(p)
                            && p.getFileName().toString().startsWith("results")
                            && p.getFileName().toString().endsWith(".json")).toList());
                }
            }
            Path parent = output.toAbsolutePath().getParent();
            String name = output.getFileName().toString();
            String stem = name.endsWith(".json") ? name.substring(0, name.length() - 5) : name;
            if (parent == null || !Files.isDirectory(parent)) {
                return Optional.empty();
            }
            try (Stream<Path> files = Files.list(parent)) {
                return newest(files.filter(p -> Files.isRegularFile(p)
                        && p.getFileName().toString().startsWith(stem + "_")
                        && p.getFileName().toString().endsWith(".json")).toList());
            }
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static Optional<Path> newest(List<Path> files) {
        return files.stream().max(Comparator.comparing((Path p) -> {
            try {
                return Files.getLastModifiedTime(p).toMillis();
            } catch (IOException e) {
                return 0L;
            }
        }).thenComparing(p -> p.getFileName().toString()));
    }

    /**
     * The scores in a results file.
     *
     * @throws IOException when the file cannot be read
     * @throws IllegalArgumentException when it is not JSON or has no {@code results} object
     */
    public static Scores read(Path file) throws IOException {
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("not valid JSON: " + e.getOriginalMessage());
        }
        JsonNode results = root == null ? null : root.get("results");
        if (results == null || !results.isObject()) {
            throw new IllegalArgumentException("no \"results\" object");
        }
        Map<String, Map<String, Double>> scores = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> tasks = results.fields(); tasks.hasNext(); ) {
            Map.Entry<String, JsonNode> task = tasks.next();
            Map<String, Double> metrics = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = task.getValue().fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> m = it.next();
                if (m.getValue().isNumber()) {
                    metrics.put(m.getKey(), m.getValue().doubleValue());
                }
            }
            scores.put(task.getKey(), metrics);
        }
        return new Scores(scores);
    }
}
