package dev.evomerge.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.evomerge.diag.InputException;
import dev.evomerge.tensor.io.PythonJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * A model's {@code config.json}: the whole JSON tree, unknown fields and key order kept, with typed accessors for
 * what evomerge needs and {@code with} copies that change one value. Written back as transformers lays it out.
 *
 * <p>Immutable (every change returns a copy) and thread-safe.
 */
public final class ModelConfig {

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
            .build();

    private final ObjectNode root;
    private final Path source;

    private ModelConfig(ObjectNode root, Path source) {
        this.root = root;
        this.source = source;
    }

    /** Reads a {@code config.json}; a missing or malformed file is an {@link InputException} naming it. */
    public static ModelConfig read(Path file) {
        JsonNode node;
        try {
            node = JSON.readTree(file.toFile());
        } catch (JsonProcessingException e) {
            throw new InputException(file, "not valid JSON: " + e.getOriginalMessage(), "fix or re-export the file");
        } catch (NoSuchFileException | java.io.FileNotFoundException e) {
            throw new InputException(file, "file not found", "a model directory needs its config.json");
        } catch (IOException e) {
            throw new InputException(file, "cannot read the file: " + e.getMessage(), null, e);
        }
        if (!(node instanceof ObjectNode obj)) {
            throw new InputException(file, "is not a JSON object", "fix or re-export the file");
        }
        return new ModelConfig(obj, file);
    }

    /** A config from a JSON tree (copied). */
    public static ModelConfig of(ObjectNode root) {
        return new ModelConfig(root.deepCopy(), Path.of("config.json"));
    }

    /** The file it was read from, for messages. */
    public Path source() {
        return source;
    }

    /** A copy of the whole tree. */
    public ObjectNode tree() {
        return root.deepCopy();
    }

    /** The value at a dotted key path such as {@code text_config.num_hidden_layers}. */
    public Optional<JsonNode> get(String dottedKey) {
        JsonNode n = root;
        for (String part : dottedKey.split("\\.")) {
            n = n == null ? null : n.get(part);
        }
        return n == null || n.isNull() ? Optional.empty() : Optional.of(n);
    }

    public Optional<String> string(String dottedKey) {
        return get(dottedKey).filter(JsonNode::isTextual).map(JsonNode::textValue);
    }

    public OptionalInt integer(String dottedKey) {
        return get(dottedKey).filter(JsonNode::canConvertToInt).filter(JsonNode::isIntegralNumber)
                .map(n -> OptionalInt.of(n.intValue())).orElse(OptionalInt.empty());
    }

    public OptionalDouble number(String dottedKey) {
        return get(dottedKey).filter(JsonNode::isNumber).map(n -> OptionalDouble.of(n.doubleValue()))
                .orElse(OptionalDouble.empty());
    }

    public Optional<Boolean> bool(String dottedKey) {
        return get(dottedKey).filter(JsonNode::isBoolean).map(JsonNode::booleanValue);
    }

    /** An integer that must be there, or an error naming the file and the key. */
    public int requireInt(String dottedKey) {
        return integer(dottedKey).orElseThrow(() -> new InputException(source,
                "has no integer '" + dottedKey + "'", "check that this is a transformers model config"));
    }

    public Optional<String> modelType() {
        return string("model_type");
    }

    /** {@code architectures}, e.g. {@code [LlamaForCausalLM]}. */
    public List<String> architectures() {
        List<String> out = new ArrayList<>();
        get("architectures").filter(JsonNode::isArray).ifPresent(a -> a.forEach(n -> out.add(n.asText())));
        return out;
    }

    public int hiddenSize() {
        return requireInt("hidden_size");
    }

    public int vocabSize() {
        return requireInt("vocab_size");
    }

    public int numAttentionHeads() {
        return requireInt("num_attention_heads");
    }

    /** {@code num_key_value_heads}, defaulting to the attention heads as transformers does. */
    public int numKeyValueHeads() {
        return integer("num_key_value_heads").orElseGet(this::numAttentionHeads);
    }

    public int intermediateSize() {
        return requireInt("intermediate_size");
    }

    /** {@code head_dim}, defaulting to hidden size / heads. */
    public int headDim() {
        return integer("head_dim").orElseGet(() -> hiddenSize() / numAttentionHeads());
    }

    public double rmsNormEps() {
        return number("rms_norm_eps").orElse(1e-6);
    }

    public double ropeTheta() {
        return number("rope_theta").orElseGet(() -> number("rope_parameters.rope_theta").orElse(10000.0));
    }

    /** Whether lm_head shares the embedding matrix; transformers' default is true unless the family sets it. */
    public boolean tieWordEmbeddings(boolean familyDefault) {
        return bool("tie_word_embeddings").orElse(familyDefault);
    }

    /** {@code torch_dtype} (or transformers 5's {@code dtype}). */
    public Optional<String> torchDtype() {
        return string("torch_dtype").or(() -> string("dtype"));
    }

    /** A copy with a value set at a dotted key path (objects on the way are created). */
    public ModelConfig with(String dottedKey, JsonNode value) {
        ObjectNode copy = root.deepCopy();
        String[] parts = dottedKey.split("\\.");
        ObjectNode n = copy;
        for (int i = 0; i < parts.length - 1; i++) {
            JsonNode child = n.get(parts[i]);
            n = child instanceof ObjectNode o ? o : n.putObject(parts[i]);
        }
        n.set(parts[parts.length - 1], value);
        return new ModelConfig(copy, source);
    }

    public ModelConfig with(String dottedKey, int value) {
        return with(dottedKey, JsonNodeFactory.instance.numberNode(value));
    }

    public ModelConfig with(String dottedKey, String value) {
        return with(dottedKey, JsonNodeFactory.instance.textNode(value));
    }

    /** A copy whose dtype fields name {@code torchName} (both {@code torch_dtype} and, if present, {@code dtype}). */
    public ModelConfig withTorchDtype(String torchName) {
        ModelConfig c = with("torch_dtype", torchName);
        return root.has("dtype") ? c.with("dtype", torchName) : c;
    }

    /** The JSON text as transformers writes it: indent 2, then a newline. */
    public byte[] toBytes() {
        return (PythonJson.write(root) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModelConfig c && c.root.equals(root);
    }

    @Override
    public int hashCode() {
        return root.hashCode();
    }

    @Override
    public String toString() {
        return PythonJson.write(root);
    }
}
