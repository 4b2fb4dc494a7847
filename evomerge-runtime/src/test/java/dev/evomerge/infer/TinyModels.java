package dev.evomerge.infer;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.evomerge.infer.family.ModelFamilies;
import dev.evomerge.infer.family.TransformerConfig;
import dev.evomerge.model.ModelConfig;
import dev.evomerge.tensor.DType;
import dev.evomerge.tensor.Shape;
import dev.evomerge.tensor.io.InMemoryTensors;
import java.util.SplittableRandom;

/** Seeded random llama models built in memory, with Hugging Face tensor names, for tests that need no golden. */
final class TinyModels {

    private TinyModels() {
    }

    /** A llama config.json: 4 heads of width hidden/4, 2 kv heads, intermediate 2·hidden, vocab 96. */
    static ModelConfig llama(int hidden, int layers, boolean tied, boolean mlpBias) {
        ObjectNode c = JsonNodeFactory.instance.objectNode();
        c.put("model_type", "llama");
        c.put("hidden_size", hidden);
        c.put("intermediate_size", 2 * hidden);
        c.put("num_hidden_layers", layers);
        c.put("num_attention_heads", 4);
        c.put("num_key_value_heads", 2);
        c.put("vocab_size", 96);
        c.put("rms_norm_eps", 1e-5);
        c.put("rope_theta", 10000.0);
        c.put("max_position_embeddings", 128);
        c.put("tie_word_embeddings", tied);
        c.put("mlp_bias", mlpBias);
        return ModelConfig.of(c);
    }

    /** Random weights for {@code config} (norms near 1, projections scaled by 1/sqrt(fan-in)). */
    static InMemoryTensors weights(ModelConfig config, long seed) {
        TransformerConfig c = ModelFamilies.read(config);
        SplittableRandom rnd = new SplittableRandom(seed);
        InMemoryTensors t = new InMemoryTensors();
        int h = c.hiddenSize();
        int q = c.heads() * c.headDim();
        int kv = c.kvHeads() * c.headDim();
        int inter = c.intermediateSize();
        put(t, rnd, "model.embed_tokens.weight", 1.0, 0, c.vocabSize(), h);
        for (int i = 0; i < c.layers(); i++) {
            String p = "model.layers." + i + ".";
            put(t, rnd, p + "input_layernorm.weight", 0.2, 1, h);
            put(t, rnd, p + "self_attn.q_proj.weight", 1 / Math.sqrt(h), 0, q, h);
            put(t, rnd, p + "self_attn.k_proj.weight", 1 / Math.sqrt(h), 0, kv, h);
            put(t, rnd, p + "self_attn.v_proj.weight", 1 / Math.sqrt(h), 0, kv, h);
            put(t, rnd, p + "self_attn.o_proj.weight", 1 / Math.sqrt(q), 0, h, q);
            put(t, rnd, p + "post_attention_layernorm.weight", 0.2, 1, h);
            put(t, rnd, p + "mlp.gate_proj.weight", 1 / Math.sqrt(h), 0, inter, h);
            put(t, rnd, p + "mlp.up_proj.weight", 1 / Math.sqrt(h), 0, inter, h);
            put(t, rnd, p + "mlp.down_proj.weight", 1 / Math.sqrt(inter), 0, h, inter);
            if (c.mlpBias()) {
                put(t, rnd, p + "mlp.gate_proj.bias", 0.3, 0, inter);
                put(t, rnd, p + "mlp.up_proj.bias", 0.3, 0, inter);
                put(t, rnd, p + "mlp.down_proj.bias", 0.3, 0, h);
            }
        }
        put(t, rnd, "model.norm.weight", 0.2, 1, h);
        if (!c.tiedEmbeddings()) {
            put(t, rnd, "lm_head.weight", 1 / Math.sqrt(h), 0, c.vocabSize(), h);
        }
        return t;
    }

    private static void put(InMemoryTensors t, SplittableRandom rnd, String name, double scale, double mean,
            long... dims) {
        Shape shape = Shape.of(dims);
        float[] v = new float[(int) shape.numel()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (mean + scale * gaussian(rnd));
        }
        t.putFloats(name, DType.F32, shape, v);
    }

    private static double gaussian(SplittableRandom rnd) {
        return Math.sqrt(-2 * Math.log(1 - rnd.nextDouble())) * Math.cos(2 * Math.PI * rnd.nextDouble());
    }
}
