package dev.evomerge.search.evolve;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.evomerge.diag.InputException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code checkpoint/state.json}: where a run stands after its last completed generation. It holds the config's
 * fingerprint (a resume with another config is refused), the stage, the optimizer's whole state (its generator
 * included), the stage's wall time so far, the number of evaluations of earlier stages, the length of
 * {@code history.jsonl} that the state accounts for, and, once the parameter-space stage of a hybrid run is over,
 * the directory of its result. Per-generation document subsets need no state: they are drawn from the seed, the
 * stage and the generation. Written to a sibling file, forced to disk and renamed over the old one, so a kill at any
 * moment leaves either the old or the new checkpoint. Immutable.
 *
 * @param fingerprint the SHA-256 of the config text and the seed
 * @param stage the stage in progress ({@code ps} or {@code dfs})
 * @param optimizer the optimizer's state, empty before the stage's first generation
 * @param stageMillis wall time spent in the stage so far
 * @param earlierEvaluations evaluations of the stages before this one
 * @param historyBytes the length of {@code history.jsonl} this checkpoint accounts for
 * @param psResult the parameter-space result's model directory, relative to the work directory, once written
 */
record Checkpoint(String fingerprint, String stage, Optional<JsonNode> optimizer, long stageMillis,
        long earlierEvaluations, long historyBytes, Optional<String> psResult) {

    static final String FORMAT = "evomerge-evolve-checkpoint";
    static final int VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper();

    Checkpoint {
        Objects.requireNonNull(fingerprint, "fingerprint");
        Objects.requireNonNull(stage, "stage");
        Objects.requireNonNull(optimizer, "optimizer");
        Objects.requireNonNull(psResult, "psResult");
    }

    /** The file in a work directory. */
    static Path file(Path workDirectory) {
        return workDirectory.resolve("checkpoint").resolve("state.json");
    }

    /** Writes the checkpoint atomically. */
    void write(Path workDirectory) {
        ObjectNode o = JSON.createObjectNode();
        o.put("format", FORMAT);
        o.put("version", VERSION);
        o.put("fingerprint", fingerprint);
        o.put("stage", stage);
        o.put("stage_millis", stageMillis);
        o.put("earlier_evaluations", earlierEvaluations);
        o.put("history_bytes", historyBytes);
        psResult.ifPresent(p -> o.put("ps_result", p));
        optimizer.ifPresent(s -> o.set("optimizer", s));
        Path target = file(workDirectory);
        Path temp = target.resolveSibling("state.json.tmp");
        try {
            Files.createDirectories(target.getParent());
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
                channel.write(ByteBuffer.wrap(o.toString().getBytes(StandardCharsets.UTF_8)));
                channel.force(true);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the checkpoint " + target, e);
        }
    }

    /**
     * Reads the checkpoint of a work directory, if it has one.
     *
     * @throws InputException when the file is not a checkpoint this version wrote
     */
    static Optional<Checkpoint> read(Path workDirectory) {
        Path file = file(workDirectory);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            JsonNode o = JSON.readTree(Files.readString(file, StandardCharsets.UTF_8));
            if (!FORMAT.equals(o.path("format").asText()) || o.path("version").asInt() != VERSION) {
                throw damaged(file, "it is not a version " + VERSION + " evomerge checkpoint");
            }
            return Optional.of(new Checkpoint(o.get("fingerprint").asText(), o.get("stage").asText(),
                    Optional.ofNullable(o.get("optimizer")), o.get("stage_millis").asLong(),
                    o.get("earlier_evaluations").asLong(), o.get("history_bytes").asLong(),
                    Optional.ofNullable(o.get("ps_result")).map(JsonNode::asText)));
        } catch (IOException | NullPointerException e) {
            String why = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
            throw damaged(file, "it cannot be read (" + String.valueOf(why).replaceAll("\\s+", " ").strip() + ")");
        }
    }

    private static InputException damaged(Path file, String why) {
        return new InputException(file, why, "start the run again in a fresh work directory");
    }
}
