package dev.evomerge.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.evomerge.infer.CausalLm;
import dev.evomerge.infer.Generation;
import dev.evomerge.infer.GenerationOptions;
import dev.evomerge.infer.InferenceEngine;
import dev.evomerge.infer.LoadedModel;
import dev.evomerge.tensor.DType;
import dev.evomerge.tensor.Shape;
import dev.evomerge.tensor.io.InMemoryTensors;
import dev.evomerge.tensor.io.ModelWriter;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Batched greedy generation throughput of evomerge's forward pass on a synthetic ~27M-parameter llama (hidden 512,
 * 6 layers, 8 query / 4 key-value heads, MLP 1536, vocabulary 8192, float32) on the CPU, next to Hugging Face
 * transformers (eager attention, float32, the same thread count) on the same model directory and prompts in the same
 * run, when a Python with transformers is there ({@code EVOMERGE_BENCH_PYTHON}, default {@code /work/venv/bin/python}).
 * Both sides: one warm-up, then {@code --rounds} rounds alternating between the two (so both see the same load on a
 * shared machine), the best of each side reported; tokens/s counts the new tokens of every row, prefill included in
 * the time.
 *
 * <p>Run: {@code bench/run.sh generate [--threads 2] [--batch 8] [--prompt-tokens 32] [--new-tokens 64]
 * [--rounds 5] [--dir DIR] [--no-transformers]}.
 */
public final class GenerateBenchmark {

    private static final int HIDDEN = 512;
    private static final int LAYERS = 6;
    private static final int HEADS = 8;
    private static final int KV_HEADS = 4;
    private static final int INTERMEDIATE = 1536;
    private static final int VOCAB = 8192;

    public static void main(String[] args) throws IOException {
        BenchArgs a = new BenchArgs(args);
        int threads = (int) a.number("threads", 2);
        int batch = (int) a.number("batch", 8);
        int promptTokens = (int) a.number("prompt-tokens", 32);
        int newTokens = (int) a.number("new-tokens", 64);
        int rounds = (int) a.number("rounds", 5);
        Path dir = a.path("dir", "evomerge-runtime/target/bench/generate-model");
        List<int[]> prompts = prompts(batch, promptTokens);
        writeModel(dir, prompts);
        long parameters = parameters();
        System.out.printf(Locale.ROOT, "model: synthetic llama, %.1fM parameters, float32; batch %d, prompt %d tokens,"
                + " %d new tokens, %d intra-op threads%n", parameters / 1e6, batch, promptTokens, newTokens, threads);

        Path python = Path.of(System.getenv().getOrDefault("EVOMERGE_BENCH_PYTHON", "/work/venv/bin/python"));
        boolean withTransformers = Files.isExecutable(python) && !a.flag("no-transformers");
        double ourBest = Double.MAX_VALUE;
        double theirBest = Double.MAX_VALUE;
        int[] ourFirstRow;
        int[] theirFirstRow = null;
        try (InferenceEngine engine = InferenceEngine.cpu(threads); LoadedModel model = engine.load(dir);
                Transformers hf = withTransformers ? Transformers.start(python, dir, threads, newTokens) : null) {
            CausalLm lm = CausalLm.of(model);
            GenerationOptions options = GenerationOptions.greedy(newTokens);
            List<Generation> out = lm.generate(prompts, options, batch);
            // alternate the two sides round by round, so that both see the same load on a shared machine
            for (int r = 0; r < rounds; r++) {
                long start = System.nanoTime();
                out = lm.generate(prompts, options, batch);
                ourBest = Math.min(ourBest, (System.nanoTime() - start) / 1e9);
                if (hf != null) {
                    JsonNode round = hf.round();
                    theirBest = Math.min(theirBest, round.get("seconds").doubleValue());
                    theirFirstRow = ints(round.get("tokens"));
                }
            }
            ourFirstRow = out.getFirst().tokens();
        }
        double tokens = batch * (double) newTokens;
        System.out.printf(Locale.ROOT, "evomerge (DJL, PyTorch engine): %8.1f tokens/s%n", tokens / ourBest);
        if (theirFirstRow == null) {
            System.out.println("transformers: skipped (no Python at " + python + "; set EVOMERGE_BENCH_PYTHON)");
            return;
        }
        System.out.printf(Locale.ROOT, "transformers (eager, float32):  %8.1f tokens/s%n", tokens / theirBest);
        System.out.printf(Locale.ROOT, "ratio evomerge/transformers:    %8.2f (target >= 1.0)%n", theirBest / ourBest);
        System.out.println("same greedy tokens (first row): " + Arrays.equals(ourFirstRow, theirFirstRow));
    }

    private static int[] ints(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).intValue();
        }
        return out;
    }

    /** {@code bench/hf_generate.py} running beside us, timing one generation per request. */
    private record Transformers(Process process, BufferedReader out, Writer in) implements AutoCloseable {

        static Transformers start(Path python, Path dir, int threads, int newTokens) throws IOException {
            Process p = new ProcessBuilder(python.toString(), "bench/hf_generate.py", "--model", dir.toString(),
                    "--threads", Integer.toString(threads), "--new-tokens", Integer.toString(newTokens))
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            Transformers t = new Transformers(p, new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8)), new OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8));
            t.read();
            return t;
        }

        JsonNode round() throws IOException {
            in.write("run\n");
            in.flush();
            return read();
        }

        private JsonNode read() throws IOException {
            String line = out.readLine();
            if (line == null) {
                throw new IOException("bench/hf_generate.py ended early; run it by hand to see why");
            }
            return new ObjectMapper().readTree(line);
        }

        @Override
        public void close() throws IOException {
            in.close();
            try {
                if (!process.waitFor(60, TimeUnit.SECONDS)) {
                    process.destroy();
                }
            } catch (InterruptedException e) {
                process.destroy();
                Thread.currentThread().interrupt();
            }
        }
    }

    private static List<int[]> prompts(int batch, int length) {
        SplittableRandom rnd = new SplittableRandom(5);
        List<int[]> out = new ArrayList<>();
        for (int b = 0; b < batch; b++) {
            out.add(rnd.ints(length, 3, VOCAB).toArray());
        }
        return out;
    }

    private static long parameters() {
        long attention = 2L * HIDDEN * HEADS * 64 + 2L * HIDDEN * KV_HEADS * 64;
        long mlp = 3L * HIDDEN * INTERMEDIATE;
        return LAYERS * (attention + mlp + 2L * HIDDEN) + 2L * VOCAB * HIDDEN + HIDDEN;
    }

    /** The synthetic model (seeded random weights), its config.json, and the prompts for the Python side. */
    private static void writeModel(Path dir, List<int[]> prompts) throws IOException {
        SplittableRandom rnd = new SplittableRandom(11);
        InMemoryTensors t = new InMemoryTensors();
        int headDim = HIDDEN / HEADS;
        put(t, rnd, "model.embed_tokens.weight", 1.0, 0, VOCAB, HIDDEN);
        for (int i = 0; i < LAYERS; i++) {
            String p = "model.layers." + i + ".";
            put(t, rnd, p + "input_layernorm.weight", 0.1, 1, HIDDEN);
            put(t, rnd, p + "self_attn.q_proj.weight", 1 / Math.sqrt(HIDDEN), 0, HEADS * headDim, HIDDEN);
            put(t, rnd, p + "self_attn.k_proj.weight", 1 / Math.sqrt(HIDDEN), 0, KV_HEADS * headDim, HIDDEN);
            put(t, rnd, p + "self_attn.v_proj.weight", 1 / Math.sqrt(HIDDEN), 0, KV_HEADS * headDim, HIDDEN);
            put(t, rnd, p + "self_attn.o_proj.weight", 1 / Math.sqrt(HIDDEN), 0, HIDDEN, HEADS * headDim);
            put(t, rnd, p + "post_attention_layernorm.weight", 0.1, 1, HIDDEN);
            put(t, rnd, p + "mlp.gate_proj.weight", 1 / Math.sqrt(HIDDEN), 0, INTERMEDIATE, HIDDEN);
            put(t, rnd, p + "mlp.up_proj.weight", 1 / Math.sqrt(HIDDEN), 0, INTERMEDIATE, HIDDEN);
            put(t, rnd, p + "mlp.down_proj.weight", 1 / Math.sqrt(INTERMEDIATE), 0, HIDDEN, INTERMEDIATE);
        }
        put(t, rnd, "model.norm.weight", 0.1, 1, HIDDEN);
        put(t, rnd, "lm_head.weight", 1 / Math.sqrt(HIDDEN), 0, VOCAB, HIDDEN);
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
                  "tie_word_embeddings": false,
                  "torch_dtype": "float32"
                }
                """.formatted(HIDDEN, INTERMEDIATE, LAYERS, HEADS, KV_HEADS, VOCAB);
        StringBuilder json = new StringBuilder("[");
        for (int[] prompt : prompts) {
            json.append(json.length() > 1 ? ", " : "").append(Arrays.toString(prompt));
        }
        ModelWriter.writeAll(dir, t, List.copyOf(t.names()), 5_000_000_000L, true, Map.of(
                "config.json", config.getBytes(StandardCharsets.UTF_8),
                "prompts.json", json.append("]\n").toString().getBytes(StandardCharsets.UTF_8)));
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
