package dev.evomerge.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.evomerge.diag.RunException;
import dev.evomerge.eval.fitness.Scores;
import dev.evomerge.search.evolve.Stage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code history.jsonl}: one JSON line per evaluation, appended a generation at a time and forced to disk before
 * the checkpoint that counts it. A resumed run cuts the file back to the length its checkpoint recorded, so the
 * generation that was in flight is evaluated again and written once. Numbers that are not finite are written as
 * {@code null}. Not thread-safe: the run loop appends.
 */
public final class History implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final FileChannel channel;
    private final List<HistoryRecord> records;

    private History(Path file, FileChannel channel, List<HistoryRecord> records) {
        this.file = file;
        this.channel = channel;
        this.records = records;
    }

    /**
     * Opens the history, keeping its first {@code keepBytes} bytes (0 starts it afresh) and reading them back.
     *
     * @throws RunException when the kept part cannot be read
     */
    public static History open(Path file, long keepBytes) {
        try {
            FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            if (channel.size() < keepBytes) {
                channel.close();
                throw new RunException(file + " is shorter (" + Files.size(file) + " bytes) than the checkpoint"
                        + " records (" + keepBytes + " bytes)", "the work directory was changed by hand; start the"
                        + " run again in a fresh work directory");
            }
            channel.truncate(keepBytes);
            channel.position(keepBytes);
            List<HistoryRecord> records = new ArrayList<>();
            if (keepBytes > 0) {
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    if (!line.isBlank()) {
                        records.add(parse(line, file));
                    }
                }
            }
            return new History(file, channel, records);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open " + file, e);
        }
    }

    /** Appends a generation's records and forces them to disk. */
    public void append(List<HistoryRecord> generation) {
        StringBuilder text = new StringBuilder();
        for (HistoryRecord r : generation) {
            text.append(line(r)).append('\n');
        }
        try {
            ByteBuffer bytes = ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8));
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            channel.force(false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to " + file, e);
        }
        records.addAll(generation);
    }

    /** The bytes written so far. */
    public long size() {
        try {
            return channel.position();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the length of " + file, e);
        }
    }

    /** Every record so far, in order. */
    public List<HistoryRecord> records() {
        return List.copyOf(records);
    }

    /** The records of one stage. */
    public List<HistoryRecord> records(Stage stage) {
        return records.stream().filter(r -> r.stage() == stage).toList();
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close " + file, e);
        }
    }

    static String line(HistoryRecord r) {
        return node(r).toString();
    }

    /** A record as the JSON object of its line. */
    public static ObjectNode node(HistoryRecord r) {
        ObjectNode o = JSON.createObjectNode();
        o.put("stage", r.stage().id());
        o.put("generation", r.generation());
        o.put("candidate", r.index());
        o.set("genome", numbers(r.genome()));
        o.put("recipe", r.recipe());
        if (r.scores().isPresent()) {
            o.set("scores", scores(r.scores().get()));
        } else {
            o.putNull("scores");
        }
        o.set("objectives", numbers(r.objectives()));
        putNumber(o, "fitness", r.fitness());
        o.put("seconds", Math.round(r.seconds() * 1000) / 1000.0);
        if (r.error().isPresent()) {
            o.put("error", r.error().get());
        } else {
            o.putNull("error");
        }
        return o;
    }

    public static ObjectNode scores(Scores scores) {
        ObjectNode tasks = JSON.createObjectNode();
        scores.values().forEach((task, metrics) -> {
            ObjectNode m = tasks.putObject(task);
            metrics.forEach((k, v) -> putNumber(m, k, v));
        });
        return tasks;
    }

    public static ArrayNode numbers(double[] values) {
        ArrayNode a = JSON.createArrayNode();
        for (double v : values) {
            if (Double.isFinite(v)) {
                a.add(v);
            } else {
                a.addNull();
            }
        }
        return a;
    }

    public static void putNumber(ObjectNode o, String key, double v) {
        if (Double.isFinite(v)) {
            o.put(key, v);
        } else {
            o.putNull(key);
        }
    }

    private static HistoryRecord parse(String line, Path file) {
        try {
            return parse(JSON.readTree(line));
        } catch (IOException | RuntimeException e) {
            throw new RunException(file + " has a line that is not an evaluation record: " + e.getMessage(),
                    "the work directory was changed by hand; start the run again in a fresh work directory");
        }
    }

    /** Scores as {@link #scores(Scores)} wrote them. */
    public static Scores readScores(JsonNode node) {
        Map<String, Map<String, Double>> values = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> t = node.fields(); t.hasNext();) {
            Map.Entry<String, JsonNode> task = t.next();
            Map<String, Double> metrics = new LinkedHashMap<>();
            task.getValue().fields().forEachRemaining(m -> metrics.put(m.getKey(), number(m.getValue(),
                    Double.NaN)));
            values.put(task.getKey(), metrics);
        }
        return new Scores(values);
    }

    /** A record from the JSON object {@link #node(HistoryRecord)} made. */
    public static HistoryRecord parse(JsonNode o) {
        Optional<Scores> scores = Optional.empty();
        if (o.get("scores").isObject()) {
            scores = Optional.of(readScores(o.get("scores")));
        }
        return new HistoryRecord(Stage.of(o.get("stage").asText()), o.get("generation").asLong(),
                o.get("candidate").asInt(), doubles(o.get("genome"), Double.NaN), o.get("recipe").asText(),
                scores, doubles(o.get("objectives"), Double.NaN),
                number(o.get("fitness"), Double.NEGATIVE_INFINITY), o.get("seconds").asDouble(),
                o.get("error").isNull() ? Optional.empty() : Optional.of(o.get("error").asText()));
    }

    private static double[] doubles(JsonNode array, double missing) {
        double[] values = new double[array.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = number(array.get(i), missing);
        }
        return values;
    }

    private static double number(JsonNode n, double missing) {
        return n == null || n.isNull() ? missing : n.asDouble();
    }
}
