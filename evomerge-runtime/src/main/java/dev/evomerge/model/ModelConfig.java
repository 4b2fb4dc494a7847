package dev.evomerge.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.evomerge.diag.InputException;
import dev.evomerge.tensor.DType;
import dev.evomerge.json.JsonTrees;
import dev.evomerge.json.PythonJsonWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
            // Python's json module writes NaN and Infinity; transformers configs occasionally hold them
            node = JsonTrees.PYTHON_CONFIG.read(file);
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
        // A copy, so callers cannot change this immutable config through the returned node.
        return n == null || n.isNull() ? Optional.empty() : Optional.of(n.deepCopy());
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

    /** Whether lm_head shares the embedding matrix; when config.json leaves it out, the family's default. */
    public boolean tieWordEmbeddings(boolean familyDefault) {
        return bool("tie_word_embeddings").orElse(familyDefault);
    }

    /** {@code torch_dtype} (or transformers 5's {@code dtype}). */
    public Optional<String> torchDtype() {
        return string("torch_dtype").or(() -> string("dtype"));
    }

    /** The element type {@code torch_dtype} names, if it names one. */
    public Optional<DType> dtype() {
        return torchDtype().flatMap(DType::fromTorchName);
    }

    /** {@code max_position_embeddings}, if set. */
    public OptionalInt maxPositionEmbeddings() {
        return integer("max_position_embeddings");
    }

    /** {@code hidden_act}, defaulting to {@code silu} as the llama family does. */
    public String hiddenAct() {
        return string("hidden_act").or(() -> string("hidden_activation")).orElse("silu");
    }

    /**
     * The RoPE scaling settings ({@code rope_scaling}, or transformers 5's {@code rope_parameters} when its
     * {@code rope_type} is not {@code default}), if any.
     */
    public Optional<JsonNode> ropeScaling() {
        Optional<JsonNode> legacy = get("rope_scaling").filter(JsonNode::isObject);
        if (legacy.isPresent()) {
            return legacy.map(JsonNode::deepCopy);
        }
        return get("rope_parameters").filter(JsonNode::isObject)
                .filter(p -> !p.path("rope_type").asText("default").equals("default")).map(JsonNode::deepCopy);
    }

    /** {@code sliding_window}, if set (mistral, qwen2 with {@code use_sliding_window}). */
    public OptionalInt slidingWindow() {
        return integer("sliding_window");
    }

    /** {@code bos_token_id}, if set. */
    public OptionalInt bosTokenId() {
        return integer("bos_token_id");
    }

    /** {@code eos_token_id} as a list (transformers allows one id or several). */
    public List<Integer> eosTokenIds() {
        List<Integer> out = new ArrayList<>();
        get("eos_token_id").ifPresent(n -> {
            if (n.isArray()) {
                n.forEach(x -> out.add(x.intValue()));
            } else if (n.isIntegralNumber()) {
                out.add(n.intValue());
            }
        });
        return out;
    }

    /** The layer count under a dotted key (an architecture's {@link Architecture#layerCountKey()}). */
    public int layerCount(String dottedKey) {
        return requireInt(dottedKey);
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

    /** A copy with the layer count under a dotted key set, as mergekit does for {@code slices:} merges. */
    public ModelConfig withLayerCount(String dottedKey, int layers) {
        if (layers < 0) {
            throw new IllegalArgumentException("layer count must be >= 0, got " + layers);
        }
        return with(dottedKey, layers);
    }

    /** A copy with {@code vocab_size} set. */
    public ModelConfig withVocabSize(int vocabSize) {
        return with("vocab_size", vocabSize);
    }

    /**
     * A copy whose dtype names {@code torchName}: {@code dtype} is set when present (transformers 5), and
     * {@code torch_dtype} when present or when neither is.
     */
    public ModelConfig withTorchDtype(String torchName) {
        ModelConfig c = root.has("dtype") ? with("dtype", torchName) : this;
        return root.has("torch_dtype") || !root.has("dtype") ? c.with("torch_dtype", torchName) : c;
    }

    /** {@link #withTorchDtype(String)} with the type's PyTorch name. */
    public ModelConfig withDtype(DType dtype) {
        return withTorchDtype(dtype.torchName());
    }

    /** The JSON text as transformers writes it: indent 2, then a newline. */
    public byte[] toBytes() {
        return (PythonJsonWriter.write(root) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    /** Writes {@link #toBytes()} to a file. */
    public void write(Path file) {
        try {
            Files.write(file, toBytes());
        } catch (IOException e) {
            throw new InputException(file, "cannot write the config: " + e.getMessage(), "check the directory", e);
        }
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
        return PythonJsonWriter.write(root);
    }
}
