package dev.evomerge.search.evolve;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.evomerge.diag.InputException;
import dev.evomerge.diag.Requires;
import dev.evomerge.search.StateFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code checkpoint/state.bin} (a {@link StateFile}; {@code state.json} from older versions is still read): where a
 * run stands after its last completed generation. It holds the config's
 * fingerprint (a resume with another config is refused), the stage, the optimizer's whole state (its generator
 * included), the stage's wall time so far, the number of evaluations of earlier stages, the length of
 * {@code history.jsonl} that the state accounts for, once the parameter-space stage of a hybrid run is over the
 * directory of its result, and with {@code search.subset} the stage's snapshots: those scored on the validation
 * split and those chosen whose scores are not in yet. Per-generation document subsets need no state: they are
 * drawn from the seed, the stage and the generation. Written to a sibling file, forced to disk and renamed over the old one, so a kill at any
 * moment leaves either the old or the new checkpoint. Immutable.
 *
 * @param fingerprint the SHA-256 of the config text and the seed
 * @param stage the stage in progress ({@code ps} or {@code dfs})
 * @param optimizer the optimizer's state, empty before the stage's first generation
 * @param stageMillis wall time spent in the stage so far
 * @param earlierEvaluations evaluations of the stages before this one
 * @param historyBytes the length of {@code history.jsonl} this checkpoint accounts for
 * @param psResult the parameter-space result's model directory, relative to the work directory, once written
 * @param validated the stage's snapshots scored on the validation split so far (with {@code search.subset}: the
 *     start point, a generation's best candidate and CMA-ES' mean, or its non-dominated candidates), each
 *     {@code {snapshot, search, validation, validation_fitness}}
 * @param pendingValidation the snapshots chosen whose scores are not in {@code validated} yet (they run behind the
 *     next generation's candidates): at most two batches, of the last generations that had snapshots, in order, each
 *     {@code {generation, snapshots}} ({@link SnapshotValidation.Batch}); a resume scores them first
 */
record Checkpoint(String fingerprint, Stage stage, Optional<JsonNode> optimizer, long stageMillis,
        long earlierEvaluations, long historyBytes, Optional<String> psResult, List<JsonNode> validated,
        List<JsonNode> pendingValidation) {

    /** A checkpoint with no snapshots validated or pending. */
    Checkpoint(String fingerprint, Stage stage, Optional<JsonNode> optimizer, long stageMillis,
            long earlierEvaluations, long historyBytes, Optional<String> psResult) {
        this(fingerprint, stage, optimizer, stageMillis, earlierEvaluations, historyBytes, psResult, List.of(),
                List.of());
    }

    static final String FORMAT = "evomerge-evolve-checkpoint";
    static final int VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper();

    Checkpoint {
        Requires.nonNull("fingerprint, stage, optimizer, psResult", fingerprint, stage, optimizer, psResult);
        validated = List.copyOf(validated);
        pendingValidation = List.copyOf(pendingValidation);
    }

    /** This checkpoint with other snapshots validated and pending. */
    Checkpoint withValidation(List<JsonNode> validated, List<JsonNode> pendingValidation) {
        return new Checkpoint(fingerprint, stage, optimizer, stageMillis, earlierEvaluations, historyBytes, psResult,
                validated, pendingValidation);
    }

    /** The file in a work directory: the compact binary form ({@link StateFile}). */
    static Path file(Path workDirectory) {
        return workDirectory.resolve("checkpoint").resolve("state.bin");
    }

    /** Where versions before the binary form kept the checkpoint, as JSON text; still read. */
    static Path jsonFile(Path workDirectory) {
        return workDirectory.resolve("checkpoint").resolve("state.json");
    }

    /** Writes the checkpoint atomically. */
    void write(Path workDirectory) {
        ObjectNode o = JSON.createObjectNode();
        o.put("format", FORMAT);
        o.put("version", VERSION);
        o.put("fingerprint", fingerprint);
        o.put("stage", stage.id());
        o.put("stage_millis", stageMillis);
        o.put("earlier_evaluations", earlierEvaluations);
        o.put("history_bytes", historyBytes);
        psResult.ifPresent(p -> o.put("ps_result", p));
        optimizer.ifPresent(s -> o.set("optimizer", s));
        if (!validated.isEmpty()) {
            o.putArray("validated").addAll(validated);
        }
        if (!pendingValidation.isEmpty()) {
            o.putArray("validation_pending").addAll(pendingValidation);
        }
        Path target = file(workDirectory);
        try {
            StateFile.write(target, o);
            Files.deleteIfExists(jsonFile(workDirectory));
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
        boolean binary = Files.isRegularFile(file);
        if (!binary) {
            file = jsonFile(workDirectory);
            if (!Files.isRegularFile(file)) {
                return Optional.empty();
            }
        }
        try {
            JsonNode o = binary ? StateFile.read(file) : JSON.readTree(Files.readString(file, StandardCharsets.UTF_8));
            if (!FORMAT.equals(o.path("format").asText()) || o.path("version").asInt() != VERSION) {
                throw damaged(file, "it is not a version " + VERSION + " evomerge checkpoint");
            }
            List<JsonNode> pending = elements(o.get("validation_pending"));
            for (JsonNode batch : pending) {
                if (!batch.path("generation").isIntegralNumber() || !batch.path("snapshots").isArray()) {
                    throw damaged(file, "a batch of validation_pending lacks its generation or snapshots");
                }
                SnapshotValidation.Batch.fromJson(batch); // its records read back, or the file is damaged
            }
            return Optional.of(new Checkpoint(o.get("fingerprint").asText(), Stage.of(o.get("stage").asText()),
                    Optional.ofNullable(o.get("optimizer")), o.get("stage_millis").asLong(),
                    o.get("earlier_evaluations").asLong(), o.get("history_bytes").asLong(),
                    Optional.ofNullable(o.get("ps_result")).map(JsonNode::asText),
                    elements(o.get("validated")), pending));
        } catch (IOException | NullPointerException | IllegalArgumentException e) {
            String why = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
            throw damaged(file, "it cannot be read (" + String.valueOf(why).replaceAll("\\s+", " ").strip() + ")");
        }
    }

    private static List<JsonNode> elements(JsonNode array) {
        List<JsonNode> out = new ArrayList<>();
        if (array != null) {
            array.forEach(out::add);
        }
        return out;
    }

    private static InputException damaged(Path file, String why) {
        return new InputException(file, why, "start the run again in a fresh work directory");
    }
}
