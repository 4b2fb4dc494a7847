package dev.evomerge.infer.family;

import com.fasterxml.jackson.databind.JsonNode;
import dev.evomerge.diag.InputException;
import dev.evomerge.model.ModelConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reading the {@code config.json} keys the supported families share, with transformers' defaults and clear errors.
 *
 * <p>Stateless and thread-safe.
 */
final class ConfigFields {

    private static final String FIX = "fix config.json or re-export the model with transformers";

    /** The family-specific switches; everything else is read the same way for every family. */
    record Switches(int headDim, List<Integer> slidingWindows, boolean qkvBias, boolean outputBias, boolean mlpBias,
            boolean qkNorm) {
    }

    private ConfigFields() {
    }

    /** The config's hyper-parameters with the family's switches. */
    static TransformerConfig read(ModelConfig c, String family, Switches switches) {
        requireSilu(c);
        try {
            return new TransformerConfig(family, c.hiddenSize(), c.intermediateSize(), layers(c),
                    c.numAttentionHeads(), c.numKeyValueHeads(), switches.headDim(), c.vocabSize(), c.rmsNormEps(),
                    rope(c), switches.slidingWindows(), switches.qkvBias(), switches.outputBias(),
                    switches.mlpBias(), switches.qkNorm(), c.tieWordEmbeddings(false),
                    c.integer("max_position_embeddings").orElse(2048));
        } catch (IllegalArgumentException e) {
            throw new InputException(c.source(), e.getMessage(), FIX);
        }
    }

    static int layers(ModelConfig c) {
        return c.requireInt("num_hidden_layers");
    }

    static boolean flag(ModelConfig c, String key, boolean defaultValue) {
        return c.bool(key).orElse(defaultValue);
    }

    /** SwiGLU with SiLU is the only MLP the blocks implement. */
    private static void requireSilu(ModelConfig c) {
        String act = c.string("hidden_act").orElse("silu");
        if (!act.equals("silu") && !act.equals("swish")) {
            throw new InputException(c.source(), "hidden_act '" + act + "' is not supported (only silu)",
                    "evaluate this model with an external evaluator command instead");
        }
    }

    /**
     * The rotary parameters, from transformers 5's {@code rope_parameters} or the older top-level
     * {@code rope_theta} with {@code rope_scaling} (whose type is {@code rope_type} or, older still, {@code type}).
     */
    static Rope rope(ModelConfig c) {
        Optional<JsonNode> params = c.get("rope_parameters").or(() -> c.get("rope_scaling"))
                .filter(JsonNode::isObject);
        if (params.isPresent() && (params.get().has("full_attention") || params.get().has("sliding_attention"))) {
            throw new InputException(c.source(), "per-layer-type rope parameters are not supported",
                    "evaluate this model with an external evaluator command instead");
        }
        double theta = params.map(p -> p.get("rope_theta")).filter(JsonNode::isNumber).map(JsonNode::doubleValue)
                .orElseGet(() -> c.number("rope_theta").orElse(10000.0));
        String type = params.map(p -> p.has("rope_type") ? p.get("rope_type") : p.get("type"))
                .filter(JsonNode::isTextual).map(JsonNode::textValue).orElse("default");
        double partial = params.map(p -> p.get("partial_rotary_factor")).filter(JsonNode::isNumber)
                .map(JsonNode::doubleValue).orElseGet(() -> c.number("partial_rotary_factor").orElse(1.0));
        try {
            return switch (type) {
                // transformers' default rope for these families rotates the whole head, whatever the factor says
                case "default" -> Rope.of(theta);
                case "linear" -> {
                    requireWholeHead(c, type, partial);
                    yield new Rope(Rope.Type.LINEAR, theta, number(c, params.get(), "factor"), 0, 0, 0);
                }
                case "llama3" -> {
                    requireWholeHead(c, type, partial);
                    JsonNode p = params.get();
                    int original = p.has("original_max_position_embeddings")
                            ? p.get("original_max_position_embeddings").asInt()
                            : c.integer("max_position_embeddings").orElse(2048);
                    yield new Rope(Rope.Type.LLAMA3, theta, number(c, p, "factor"), number(c, p, "low_freq_factor"),
                            number(c, p, "high_freq_factor"), original);
                }
                default -> throw new InputException(c.source(), "rope type '" + type + "' is not supported"
                        + " (supported: default, linear, llama3)",
                        "evaluate this model with an external evaluator command instead");
            };
        } catch (IllegalArgumentException e) {
            throw new InputException(c.source(), e.getMessage(), FIX);
        }
    }

    private static void requireWholeHead(ModelConfig c, String type, double partial) {
        if (partial != 1.0) {
            throw new InputException(c.source(), "partial_rotary_factor " + partial + " with rope type '" + type
                    + "' is not supported", "evaluate this model with an external evaluator command instead");
        }
    }

    private static double number(ModelConfig c, JsonNode params, String key) {
        JsonNode n = params.get(key);
        if (n == null || !n.isNumber()) {
            throw new InputException(c.source(), "rope parameters have no number '" + key + "'", FIX);
        }
        return n.doubleValue();
    }

    /**
     * Qwen2/Qwen3 sliding windows as transformers sets them: the window exists only with
     * {@code use_sliding_window}; {@code layer_types} says which layers use it, and without it the layers from
     * {@code max_window_layers} on do.
     */
    static List<Integer> qwenSlidingWindows(ModelConfig c) {
        int layers = layers(c);
        int window = flag(c, "use_sliding_window", false) ? c.integer("sliding_window").orElse(0) : 0;
        Optional<JsonNode> types = c.get("layer_types").filter(JsonNode::isArray);
        List<Integer> out = new ArrayList<>(layers);
        if (types.isPresent()) {
            JsonNode t = types.get();
            if (t.size() != layers) {
                throw new InputException(c.source(), "layer_types has " + t.size() + " entries for " + layers
                        + " layers", FIX);
            }
            for (JsonNode type : t) {
                out.add("sliding_attention".equals(type.asText()) ? window : 0);
            }
        } else {
            int maxWindowLayers = c.integer("max_window_layers").orElse(28);
            for (int i = 0; i < layers; i++) {
                out.add(i >= maxWindowLayers ? window : 0);
            }
        }
        return out;
    }
}
