package dev.evomerge.json;

import dev.evomerge.io.InputFiles;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.evomerge.diag.InputException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Reads JSON into Jackson's tree nodes straight from the streaming parser, giving the trees an object mapper's
 * {@code readTree} gives (ints as int, long or big-integer nodes by size, other numbers as doubles; an empty input
 * is the missing node; what follows the first value is not read). The model files a merge reads (headers, indexes,
 * {@code config.json}) go through here: an object mapper's own set-up costs a few hundred milliseconds per run,
 * the parser's a few tens.
 *
 * <p>Immutable and thread-safe.
 */
public final class JsonTrees {

    /** Any JSON; a repeated key keeps its last value. */
    public static final JsonTrees LENIENT = new JsonTrees(false, false, false);
    /** A repeated key is an error ("Duplicate field 'k'"). */
    public static final JsonTrees STRICT = new JsonTrees(true, false, false);
    /**
     * A transformers {@code config.json}: a repeated key is an error; NaN and Infinity (which Python's json module
     * writes) are numbers; every integer is a big-integer node, so that its exact digits are written back.
     */
    public static final JsonTrees PYTHON_CONFIG = new JsonTrees(true, true, true);

    private final JsonFactory factory;
    private final boolean bigIntegers;

    private JsonTrees(boolean strictDuplicates, boolean nonNumericNumbers, boolean bigIntegers) {
        var b = JsonFactory.builder();
        if (strictDuplicates) {
            b.enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION);
        }
        if (nonNumericNumbers) {
            b.enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS);
        }
        this.factory = b.build();
        this.bigIntegers = bigIntegers;
    }

    /** The tree of a file. */
    public JsonNode read(Path file) throws IOException {
        InputFiles.requireRegular(file);
        try (InputStream in = Files.newInputStream(file)) {
            return read(in);
        }
    }

    /**
     * The tree of a file that may be absent: empty when it is not a regular file.
     *
     * @throws InputException naming the file when it is not readable JSON
     */
    public Optional<JsonNode> readIfPresent(Path file) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(read(file));
        } catch (IOException e) {
            throw new InputException(file, "is not readable JSON: " + e.getMessage(), "fix or re-export the file",
                    e);
        }
    }

    /** The tree of a stream, which is not closed. */
    public JsonNode read(InputStream in) throws IOException {
        try (JsonParser p = factory.createParser(in)) {
            return tree(p);
        }
    }

    /** The tree of a text. */
    public JsonNode read(String text) throws JsonProcessingException {
        try (JsonParser p = factory.createParser(text)) {
            return tree(p);
        } catch (JsonProcessingException e) {
            throw e;
        } catch (IOException e) {
            throw new IllegalStateException("reading a string failed", e);
        }
    }

    private JsonNode tree(JsonParser p) throws IOException {
        JsonToken first = p.nextToken();
        return first == null ? MissingNode.getInstance() : value(p, first);
    }

    private JsonNode value(JsonParser p, JsonToken t) throws IOException {
        JsonNodeFactory f = JsonNodeFactory.instance;
        return switch (t) {
            case START_OBJECT -> {
                ObjectNode o = f.objectNode();
                for (JsonToken k = p.nextToken(); k == JsonToken.FIELD_NAME; k = p.nextToken()) {
                    String name = p.currentName();
                    o.set(name, value(p, p.nextToken()));
                }
                yield o;
            }
            case START_ARRAY -> {
                ArrayNode a = f.arrayNode();
                for (JsonToken e = p.nextToken(); e != JsonToken.END_ARRAY; e = p.nextToken()) {
                    a.add(value(p, e));
                }
                yield a;
            }
            case VALUE_STRING -> f.textNode(p.getText());
            case VALUE_NUMBER_INT -> bigIntegers ? f.numberNode(p.getBigIntegerValue()) : switch (p.getNumberType()) {
                case INT -> f.numberNode(p.getIntValue());
                case LONG -> f.numberNode(p.getLongValue());
                default -> f.numberNode(p.getBigIntegerValue());
            };
            case VALUE_NUMBER_FLOAT -> f.numberNode(p.getDoubleValue());
            case VALUE_TRUE -> f.booleanNode(true);
            case VALUE_FALSE -> f.booleanNode(false);
            case VALUE_NULL -> f.nullNode();
            default -> throw new IllegalStateException("unexpected token " + t + " at " + p.currentLocation());
        };
    }
}
