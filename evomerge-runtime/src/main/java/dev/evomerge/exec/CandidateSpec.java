package dev.evomerge.exec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.evomerge.diag.InputException;
import dev.evomerge.diag.Requires;
import dev.evomerge.eval.fitness.Objective;
import dev.evomerge.eval.harness.TaskRun;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * One candidate as the driver describes it to an array task, in {@code candidate.json} of the candidate's folder:
 * the model (a recipe file beside it, merged on the node, or a model directory), the task runs (task file, split,
 * document positions or limit), the evaluation settings, and the command template when the node runs one instead of
 * evomerge's forward pass. Paths are absolute, as the shared file system shows them to the driver. Immutable.
 *
 * @param name the candidate's name
 * @param recipe the recipe file ({@code recipe.yml} beside this file) when the candidate is merged on the node
 * @param model the model directory otherwise
 * @param baseDirectory what the recipe's relative model paths are resolved against
 * @param tasks the task runs
 * @param batchSize requests per forward pass
 * @param seed the merge seed (stochastic methods)
 * @param command the command template a task runs on the merged model instead of the forward pass
 * @param timeout the time the command may take
 * @param required the metrics a command's results must hold
 */
public record CandidateSpec(String name, Optional<String> recipe, Optional<Path> model, Path baseDirectory,
        List<Run> tasks, int batchSize, long seed, Optional<String> command, Duration timeout,
        List<Objective> required) {

    static final String FILE = "candidate.json";
    static final String RECIPE = "recipe.yml";
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One task run as a file can say it.
     *
     * @param file the task file
     * @param split the split
     * @param docs the document positions, when a subset
     * @param limit the documents from the start, when limited
     */
    public record Run(Path file, String split, Optional<List<Integer>> docs, OptionalDouble limit) {
        public Run {
            Requires.nonNull("file, split, limit", file, split, limit);
            docs = docs.map(List::copyOf);
        }

        /** A task run's description. */
        public static Run of(TaskRun run) {
            return new Run(run.task().config().file().toAbsolutePath(), run.split(), run.docs(), run.limit());
        }
    }

    public CandidateSpec {
        Requires.nonNull("name, recipe, model", name, recipe, model);
        if (recipe.isPresent() == model.isPresent()) {
            throw new IllegalArgumentException("a candidate is either a recipe or a model directory");
        }
        Requires.nonNull("baseDirectory, command, timeout", baseDirectory, command, timeout);
        tasks = List.copyOf(tasks);
        required = List.copyOf(required);
    }

    /** The JSON text of {@code candidate.json}. */
    public String toJson() {
        ObjectNode o = JSON.createObjectNode();
        o.put("name", name);
        recipe.ifPresent(r -> o.put("recipe", r));
        model.ifPresent(m -> o.put("model", m.toString()));
        o.put("base_directory", baseDirectory.toString());
        ArrayNode ts = o.putArray("tasks");
        for (Run r : tasks) {
            ObjectNode t = ts.addObject();
            t.put("file", r.file().toString());
            t.put("split", r.split());
            r.docs().ifPresent(d -> d.forEach(t.withArray("docs")::add));
            r.limit().ifPresent(l -> t.put("limit", l));
        }
        o.put("batch_size", batchSize);
        o.put("seed", seed);
        command.ifPresent(c -> o.put("command", c));
        o.put("timeout_seconds", timeout.toSeconds());
        ArrayNode req = o.putArray("required");
        for (Objective r : required) {
            req.addObject().put("task", r.task()).put("metric", r.metric());
        }
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(o) + "\n";
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Reads {@code candidate.json}. */
    public static CandidateSpec read(Path file) {
        JsonNode o;
        try {
            o = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new InputException(file, "cannot read the candidate's description: " + e.getMessage(),
                    "give the folder the evolve driver wrote for the candidate", e);
        }
        List<Run> runs = new ArrayList<>();
        for (JsonNode t : o.path("tasks")) {
            Optional<List<Integer>> docs = Optional.empty();
            if (t.has("docs")) {
                List<Integer> d = new ArrayList<>();
                t.get("docs").forEach(n -> d.add(n.asInt()));
                docs = Optional.of(d);
            }
            runs.add(new Run(Path.of(t.path("file").asText()), t.path("split").asText(), docs,
                    t.has("limit") ? OptionalDouble.of(t.get("limit").asDouble()) : OptionalDouble.empty()));
        }
        List<Objective> required = new ArrayList<>();
        for (JsonNode r : o.path("required")) {
            required.add(Objective.of(r.path("task").asText(), r.path("metric").asText()));
        }
        return new CandidateSpec(o.path("name").asText(), Optional.ofNullable(o.path("recipe").textValue()),
                Optional.ofNullable(o.path("model").textValue()).map(Path::of),
                Path.of(o.path("base_directory").asText()), runs, o.path("batch_size").asInt(8),
                o.path("seed").asLong(), Optional.ofNullable(o.path("command").textValue()),
                Duration.ofSeconds(o.path("timeout_seconds").asLong(1800)), required);
    }
}
