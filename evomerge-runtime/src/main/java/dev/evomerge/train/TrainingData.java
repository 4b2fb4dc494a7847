package dev.evomerge.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.evomerge.diag.InputException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The training examples of one JSON Lines file and the share of batches drawn from it. Each line is
 * {@code {"prompt": ..., "completion": ...}} (the loss covers the completion and the end-of-sequence token) or
 * {@code {"text": ...}} (the loss covers every token).
 *
 * @param file where the examples came from
 * @param weight the relative share of examples drawn from this file
 * @param examples the examples, in file order
 */
public record TrainingData(Path file, double weight, List<Example> examples) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One example: an optional prompt (not trained on) and the text trained on. */
    public record Example(String prompt, String completion) {
    }

    public TrainingData {
        examples = List.copyOf(examples);
    }

    /**
     * Reads a file given as {@code FILE} or {@code FILE:WEIGHT}.
     *
     * @throws InputException naming the file and line of a malformed example, or a bad weight
     */
    public static TrainingData read(String spec) {
        int colon = spec.lastIndexOf(':');
        double weight = 1;
        String path = spec;
        if (colon > 0) {
            try {
                weight = Double.parseDouble(spec.substring(colon + 1));
                path = spec.substring(0, colon);
            } catch (NumberFormatException e) {
                // a colon inside the path: no weight given
            }
        }
        if (!(weight > 0) || Double.isInfinite(weight)) {
            throw new InputException("the weight of training data '" + spec + "' must be a number above 0",
                    "write FILE or FILE:WEIGHT, for example train.jsonl:0.5");
        }
        Path file = Path.of(path);
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new InputException(file, "cannot read the training data: " + e.getMessage(),
                    "give a JSON Lines file of {\"prompt\": ..., \"completion\": ...} or {\"text\": ...} objects");
        }
        List<Example> examples = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty()) {
                continue;
            }
            examples.add(parse(file, i + 1, line));
        }
        if (examples.isEmpty()) {
            throw new InputException(file, "holds no examples", "write one JSON object per line");
        }
        return new TrainingData(file, weight, examples);
    }

    private static Example parse(Path file, int lineNumber, String line) {
        String hint = "write {\"prompt\": ..., \"completion\": ...} or {\"text\": ...} on each line";
        JsonNode node;
        try {
            node = JSON.readTree(line);
        } catch (IOException e) {
            throw new InputException(file, "line " + lineNumber + " is not JSON: " + e.getMessage(), hint);
        }
        if (node.path("text").isTextual() && !node.has("completion")) {
            return new Example("", node.get("text").asText());
        }
        if (node.path("completion").isTextual()) {
            JsonNode prompt = node.path("prompt");
            if (!prompt.isMissingNode() && !prompt.isTextual()) {
                throw new InputException(file, "line " + lineNumber + ": \"prompt\" is not a string", hint);
            }
            return new Example(prompt.isTextual() ? prompt.asText() : "", node.get("completion").asText());
        }
        throw new InputException(file, "line " + lineNumber + " has neither \"text\" nor \"completion\"", hint);
    }
}
