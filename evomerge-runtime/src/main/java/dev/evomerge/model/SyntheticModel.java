package dev.evomerge.model;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.evomerge.tensor.Conversions;
import dev.evomerge.tensor.DType;
import dev.evomerge.tensor.Shape;
import dev.evomerge.tensor.TensorInfo;
import dev.evomerge.tensor.io.ModelWriter;
import dev.evomerge.tensor.io.SafetensorsModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Seeded random models in Hugging Face layout, for tests, examples and benchmarks: a {@code config.json} that
 * transformers loads, a small {@link SyntheticTokenizer}, and weights (normal with standard deviation 0.02, norms
 * at 1); or a fine-tune-like perturbation of another model. Every tensor draws from its own generator keyed by the
 * seed and its name, so output is byte-identical for the same arguments whatever the thread count, and memory stays
 * small whatever the model size (tensors are generated and written in chunks).
 *
 * @param family {@code llama}, {@code mistral} or {@code qwen2}
 * @param layers decoder layers
 * @param hidden hidden size
 * @param intermediate MLP intermediate size
 * @param vocab vocabulary size
 * @param heads attention heads
 * @param kvHeads key/value heads (grouped-query attention)
 * @param dtype the stored dtype (F32, F16 or BF16)
 * @param seed the seed
 */
public record SyntheticModel(String family, int layers, int hidden, int intermediate, int vocab, int heads,
        int kvHeads, DType dtype, long seed) {

    /** The families {@code synth} can write. */
    public static final List<String> FAMILIES = List.of("llama", "mistral", "qwen2");

    private static final int CHUNK = 1 << 16;
    private static final double STD = 0.02;

    public SyntheticModel {
        Objects.requireNonNull(family, "family");
        if (!FAMILIES.contains(family)) {
            throw new IllegalArgumentException("family must be one of " + FAMILIES + ", got '" + family + "'");
        }
        positive("layers", layers);
        positive("hidden", hidden);
        positive("intermediate", intermediate);
        positive("heads", heads);
        positive("kv-heads", kvHeads);
        if (vocab < 4) {
            throw new IllegalArgumentException("vocab must be at least 4, got " + vocab);
        }
        if (hidden % heads != 0) {
            throw new IllegalArgumentException("hidden (" + hidden + ") must be a multiple of heads (" + heads + ")");
        }
        if (heads % kvHeads != 0) {
            throw new IllegalArgumentException("heads (" + heads + ") must be a multiple of kv-heads (" + kvHeads
                    + ")");
        }
        if (dtype != DType.F32 && dtype != DType.F16 && dtype != DType.BF16) {
            throw new IllegalArgumentException("dtype must be f32, f16 or bf16, got " + dtype);
        }
    }

    private static void positive(String name, int v) {
        if (v <= 0) {
            throw new IllegalArgumentException(name + " must be > 0, got " + v);
        }
    }

    /** The {@code config.json} of this model. */
    public ModelConfig config() {
        ObjectNode c = JsonNodeFactory.instance.objectNode();
        String arch = switch (family) {
            case "llama" -> "LlamaForCausalLM";
            case "mistral" -> "MistralForCausalLM";
            default -> "Qwen2ForCausalLM";
        };
        c.putArray("architectures").add(arch);
        c.put("attention_dropout", 0.0);
        c.put("bos_token_id", 1);
        c.put("eos_token_id", 2);
        c.put("head_dim", hidden / heads);
        c.put("hidden_act", "silu");
        c.put("hidden_size", hidden);
        c.put("initializer_range", STD);
        c.put("intermediate_size", intermediate);
        c.put("max_position_embeddings", 4096);
        c.put("model_type", family);
        c.put("num_attention_heads", heads);
        c.put("num_hidden_layers", layers);
        c.put("num_key_value_heads", kvHeads);
        c.put("rms_norm_eps", 1e-5);
        c.put("rope_theta", 10000.0);
        switch (family) {
            case "llama" -> {
                c.put("attention_bias", false);
                c.put("mlp_bias", false);
                c.putNull("rope_scaling");
            }
            case "mistral" -> c.put("sliding_window", 4096);
            default -> {
                c.put("use_sliding_window", false);
                c.putNull("sliding_window");
                c.put("max_window_layers", layers);
            }
        }
        c.put("tie_word_embeddings", false);
        c.put("torch_dtype", dtype.torchName());
        c.put("use_cache", true);
        c.put("vocab_size", vocab);
        return ModelConfig.of(c);
    }

    /** Every tensor of this model, in the order mergekit writes them (sorted by name). */
    public List<TensorInfo> tensors() {
        Architecture arch = Architectures.builtIn().byName(family).orElseThrow();
        List<TensorInfo> out = new ArrayList<>();
        for (WeightInfo w : arch.weights(layers)) {
            out.add(new TensorInfo(w.name(), dtype, shapeOf(w.name())));
        }
        out.sort(java.util.Comparator.comparing(TensorInfo::name));
        return out;
    }

    private Shape shapeOf(String name) {
        int headDim = hidden / heads;
        int q = heads * headDim;
        int kv = kvHeads * headDim;
        if (name.endsWith("embed_tokens.weight") || name.equals("lm_head.weight")) {
            return Shape.of(vocab, hidden);
        } else if (name.endsWith("norm.weight")) {
            return Shape.of(hidden);
        } else if (name.endsWith("q_proj.weight")) {
            return Shape.of(q, hidden);
        } else if (name.endsWith("k_proj.weight") || name.endsWith("v_proj.weight")) {
            return Shape.of(kv, hidden);
        } else if (name.endsWith("q_proj.bias")) {
            return Shape.of(q);
        } else if (name.endsWith("k_proj.bias") || name.endsWith("v_proj.bias")) {
            return Shape.of(kv);
        } else if (name.endsWith("o_proj.weight")) {
            return Shape.of(hidden, q);
        } else if (name.endsWith("gate_proj.weight") || name.endsWith("up_proj.weight")) {
            return Shape.of(intermediate, hidden);
        } else if (name.endsWith("down_proj.weight")) {
            return Shape.of(hidden, intermediate);
        }
        throw new IllegalStateException("no shape rule for " + name);
    }

    /** Writes the model directory (weights, config.json, tokenizer files) to {@code out}. */
    public void write(Path out, boolean overwrite) {
        List<TensorInfo> tensors = tensors();
        try (ModelWriter w = ModelWriter.create(out, tensors, 5_000_000_000L, overwrite)) {
            tensors.parallelStream().forEach(t -> {
                SplittableRandom rnd = generator(seed, t.name());
                boolean norm = t.name().endsWith("norm.weight");
                float[] chunk = new float[(int) Math.min(CHUNK, t.numel())];
                for (long done = 0; done < t.numel(); ) {
                    int n = (int) Math.min(chunk.length, t.numel() - done);
                    for (int i = 0; i < n; i++) {
                        chunk[i] = norm ? 1f : (float) (rnd.nextGaussian() * STD);
                    }
                    w.writeFloats(t.name(), done, chunk, 0, n);
                    done += n;
                }
            });
            w.staging().writeFile("config.json", config().toBytes());
            w.staging().writeFile("tokenizer.json", SyntheticTokenizer.tokenizerJson(vocab));
            w.staging().writeFile("tokenizer_config.json", SyntheticTokenizer.tokenizerConfigJson(4096));
            w.commit();
        }
    }

    /**
     * Writes a fine-tune-like variant of the model in {@code base}: the same config and tokenizer, every floating
     * tensor plus {@code noise} · RMS(tensor) · N(0, 1) element-wise, drawn from generators keyed by the seed and the
     * tensor name.
     */
    public static void perturb(ModelDirectory base, Path out, double noise, long seed, boolean overwrite) {
        if (!(noise >= 0) || Double.isInfinite(noise)) {
            throw new IllegalArgumentException("noise must be a finite number >= 0, got " + noise);
        }
        try (SafetensorsModel weights = base.openWeights()) {
            List<TensorInfo> tensors = weights.names().stream().map(n -> weights.info(n).orElseThrow()).toList();
            try (ModelWriter w = ModelWriter.create(out, tensors, 5_000_000_000L, overwrite)) {
                tensors.parallelStream().forEach(t -> perturbTensor(weights, t, w, noise, seed));
                w.staging().writeFile("config.json", base.config().toBytes());
                TokenizerFiles.copy(base.model().directory(), w.staging().path());
                w.commit();
            }
        }
    }

    private static void perturbTensor(SafetensorsModel weights, TensorInfo t, ModelWriter w, double noise,
            long seed) {
        if (!t.dtype().isFloatingPoint()) {
            w.write(t.name(), weights.bytes(t.name()));
            return;
        }
        var bytes = weights.bytes(t.name());
        float[] chunk = new float[(int) Math.min(CHUNK, Math.max(1, t.numel()))];
        double sumSquares = 0;
        for (long done = 0; done < t.numel(); ) {
            int n = (int) Math.min(chunk.length, t.numel() - done);
            Conversions.toFloats(bytes, t.dtype(), done, chunk, 0, n);
            for (int i = 0; i < n; i++) {
                sumSquares += (double) chunk[i] * chunk[i];
            }
            done += n;
        }
        double scale = noise * Math.sqrt(sumSquares / Math.max(1, t.numel()));
        SplittableRandom rnd = generator(seed, t.name());
        for (long done = 0; done < t.numel(); ) {
            int n = (int) Math.min(chunk.length, t.numel() - done);
            Conversions.toFloats(bytes, t.dtype(), done, chunk, 0, n);
            for (int i = 0; i < n; i++) {
                chunk[i] = (float) (chunk[i] + scale * rnd.nextGaussian());
            }
            w.writeFloats(t.name(), done, chunk, 0, n);
            done += n;
        }
        if (t.numel() == 0) {
            w.write(t.name(), bytes);
        }
    }

    /** A generator for one tensor: a function of the seed and the name only. */
    static SplittableRandom generator(long seed, String tensorName) {
        long h = seed * 0x9E3779B97F4A7C15L + tensorName.hashCode();
        h = (h ^ (h >>> 30)) * 0xBF58476D1CE4E5B9L;
        h = (h ^ (h >>> 27)) * 0x94D049BB133111EBL;
        return new SplittableRandom(h ^ (h >>> 31));
    }
}
