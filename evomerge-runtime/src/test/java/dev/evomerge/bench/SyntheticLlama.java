package dev.evomerge.bench;

import dev.evomerge.tensor.DType;
import dev.evomerge.tensor.Shape;
import dev.evomerge.tensor.io.InMemoryTensors;
import dev.evomerge.tensor.io.ModelWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The benchmarks' synthetic llama: seeded random float32 weights, 8 query and 4 key/value heads of width
 * {@code hidden / 8}, written as a Hugging Face model directory (config.json, model.safetensors, and any extra files).
 *
 * @param hidden hidden size
 * @param layers decoder layers
 * @param intermediate MLP width
 * @param vocab vocabulary size
 */
record SyntheticLlama(int hidden, int layers, int intermediate, int vocab) {

    static final int HEADS = 8;
    static final int KV_HEADS = 4;

    /** The sizes given by {@code --hidden}, {@code --layers}, {@code --intermediate} and {@code --vocab}. */
    static SyntheticLlama from(BenchArgs a) {
        return new SyntheticLlama((int) a.number("hidden", 512), (int) a.number("layers", 6),
                (int) a.number("intermediate", 1536), (int) a.number("vocab", 8192));
    }

    /** Parameters of the decoder layers' linear layers (attention's projections and the MLP). */
    long linearParameters() {
        return layers * (2L * hidden * hidden + 2L * hidden * (hidden / HEADS) * KV_HEADS + 3L * hidden * intermediate);
    }

    long parameters() {
        long attention = 2L * hidden * hidden + 2L * hidden * (hidden / HEADS) * KV_HEADS;
        long mlp = 3L * hidden * intermediate;
        return layers * (attention + mlp + 2L * hidden) + 2L * vocab * hidden + hidden;
    }

    /** Writes the model (weights seeded with 11) into {@code dir}, with {@code extra} files beside it. */
    void write(Path dir, Map<String, byte[]> extra) throws IOException {
        SplittableRandom rnd = new SplittableRandom(11);
        InMemoryTensors t = new InMemoryTensors();
        int headDim = hidden / HEADS;
        put(t, rnd, "model.embed_tokens.weight", 1.0, 0, vocab, hidden);
        for (int i = 0; i < layers; i++) {
            String p = "model.layers." + i + ".";
            put(t, rnd, p + "input_layernorm.weight", 0.1, 1, hidden);
            put(t, rnd, p + "self_attn.q_proj.weight", 1 / Math.sqrt(hidden), 0, HEADS * headDim, hidden);
            put(t, rnd, p + "self_attn.k_proj.weight", 1 / Math.sqrt(hidden), 0, KV_HEADS * headDim, hidden);
            put(t, rnd, p + "self_attn.v_proj.weight", 1 / Math.sqrt(hidden), 0, KV_HEADS * headDim, hidden);
            put(t, rnd, p + "self_attn.o_proj.weight", 1 / Math.sqrt(hidden), 0, hidden, HEADS * headDim);
            put(t, rnd, p + "post_attention_layernorm.weight", 0.1, 1, hidden);
            put(t, rnd, p + "mlp.gate_proj.weight", 1 / Math.sqrt(hidden), 0, intermediate, hidden);
            put(t, rnd, p + "mlp.up_proj.weight", 1 / Math.sqrt(hidden), 0, intermediate, hidden);
            put(t, rnd, p + "mlp.down_proj.weight", 1 / Math.sqrt(intermediate), 0, hidden, intermediate);
        }
        put(t, rnd, "model.norm.weight", 0.1, 1, hidden);
        put(t, rnd, "lm_head.weight", 1 / Math.sqrt(hidden), 0, vocab, hidden);
        String config = """
                {
                  "architectures": ["LlamaForCausalLM"],
                  "model_type": "llama",
                  "hidden_size": %d,
                  "intermediate_size": %d,
                  "num_hidden_layers": %d,
                  "num_attention_heads": %d,
                  "num_key_value_heads": %d,
                  "vocab_size": %d,
                  "max_position_embeddings": 2048,
                  "rms_norm_eps": 1e-05,
                  "rope_theta": 10000.0,
                  "bos_token_id": 1,
                  "eos_token_id": 2,
                  "tie_word_embeddings": false,
                  "torch_dtype": "float32"
                }
                """.formatted(hidden, intermediate, layers, HEADS, KV_HEADS, vocab);
        Map<String, byte[]> files = new java.util.LinkedHashMap<>(extra);
        files.put("config.json", config.getBytes(StandardCharsets.UTF_8));
        ModelWriter.writeAll(dir, t, List.copyOf(t.names()), 5_000_000_000L, true, files);
    }

    private static void put(InMemoryTensors t, SplittableRandom rnd, String name, double scale, double mean,
            long... dims) {
        Shape shape = Shape.of(dims);
        float[] v = new float[(int) shape.numel()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (mean + scale * (rnd.nextDouble() * 2 - 1) * Math.sqrt(3));
        }
        t.putFloats(name, DType.F32, shape, v);
    }
}
