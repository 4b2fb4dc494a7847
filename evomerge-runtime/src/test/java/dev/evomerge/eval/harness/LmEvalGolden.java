package dev.evomerge.eval.harness;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.evomerge.eval.task.Task;
import dev.evomerge.event.EventListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The committed outputs of lm-evaluation-harness 0.4.13 on the task files under {@code eval/lmeval/tasks} and the
 * tiny model under {@code eval/lmeval/model} ({@code src/test/reference/eval/make_goldens.py}).
 */
final class LmEvalGolden {

    static final Path ROOT = Path.of("src/test/resources/eval/lmeval");
    static final Path MODEL = ROOT.resolve("model");
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private LmEvalGolden() {
    }

    static JsonNode golden() {
        try {
            return JSON.readTree(ROOT.resolve("golden.json").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every task file, loaded. */
    static List<Task> tasks() {
        try (Stream<Path> files = Files.list(ROOT.resolve("tasks"))) {
            List<Task> out = new ArrayList<>();
            for (Path f : files.sorted().toList()) {
                out.add(Task.load(f, EventListener.NONE));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The golden samples of a task under its first filter, in document order. */
    static List<JsonNode> samples(JsonNode task) {
        String filter = task.get("samples").get(0).get("filter").asText();
        List<JsonNode> out = new ArrayList<>();
        task.get("samples").forEach(s -> {
            if (s.get("filter").asText().equals(filter)) {
                out.add(s);
            }
        });
        out.sort((a, b) -> Integer.compare(a.get("doc_id").asInt(), b.get("doc_id").asInt()));
        return out;
    }
}
