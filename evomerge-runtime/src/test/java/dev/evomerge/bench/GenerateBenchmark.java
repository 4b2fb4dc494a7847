package dev.evomerge.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.evomerge.infer.CausalLm;
import dev.evomerge.infer.Generation;
import dev.evomerge.infer.GenerationOptions;
import dev.evomerge.infer.InferenceEngine;
import dev.evomerge.infer.LoadedModel;
import dev.evomerge.infer.block.Projection;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.lang.management.ManagementFactory;
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
 * 6 layers, 8 query / 4 key-value heads, MLP 1536, vocabulary 8192, float32; {@code --hidden}, {@code --layers},
 * {@code --intermediate} and {@code --vocab} change it) on the CPU, next to Hugging Face
 * transformers (eager attention, float32, the same thread count) on the same model directory and prompts in the same
 * run, when a Python with transformers is there ({@code EVOMERGE_BENCH_PYTHON}, default {@code /work/venv/bin/python}).
 * Both sides: one warm-up, then {@code --rounds} rounds alternating between the two (so both see the same load on a
 * shared machine), the best of each side reported: wall-clock tokens/s (new tokens of every row, prefill included) and
 * tokens per CPU-second of the whole process (which a busy shared machine disturbs less). Where the JVM has the
 * vector module, evomerge runs twice per round: decode steps on the heap (the default) and in PyTorch calls
 * ({@code Projection.usePanels(false)}, the path without the module), with the same tokens.
 *
 * <p>With {@code --spread}, the rows of a batch end at different lengths, as answers to different questions do: row
 * {@code b} wants {@code new-tokens · (b mod batch + 1) / batch} tokens. evomerge gives each row its own budget and
 * refills the rows that finish with waiting prompts; transformers' {@code generate} runs every row to the longest
 * budget (as the
 * harness's {@code generate_until} does, stopping a batch when all of its rows are done). Tokens/s then counts the
 * tokens the rows wanted.
 *
 * <p>{@code --prompts N} (default: the batch size) generates for N prompts, {@code --batch} at a time on both sides;
 * {@code --our-batch M} lets evomerge run M rows at a time instead (transformers keeps {@code --batch}): a decode
 * step reads every weight whatever its rows, so more rows cost little more per step.
 *
 * <p>Run: {@code bench/run.sh generate [--threads 1] [--batch 8] [--prompts 8] [--prompt-tokens 32]
 * [--new-tokens 64] [--rounds 5] [--spread] [--our-batch M] [--dir DIR] [--no-transformers]}.
 */
public final class GenerateBenchmark {

    public static void main(String[] args) throws IOException {
        BenchArgs a = new BenchArgs(args);
        int threads = (int) a.number("threads", 1);
        int batch = (int) a.number("batch", 8);
        int promptTokens = (int) a.number("prompt-tokens", 32);
        int newTokens = (int) a.number("new-tokens", 64);
        int rounds = (int) a.number("rounds", 5);
        int count = (int) a.number("prompts", batch);
        int ourBatch = (int) a.number("our-batch", batch);
        boolean spread = a.flag("spread");
        Path dir = a.path("dir", "evomerge-runtime/target/bench/generate-model");
        SyntheticLlama dims = SyntheticLlama.from(a);
        List<int[]> prompts = prompts(count, promptTokens, dims.vocab());
        writeModel(dir, prompts, dims);
        long parameters = dims.parameters();
        System.out.printf(Locale.ROOT, "model: synthetic llama, %.1fM parameters, float32; %d prompts, batch %s, prompt"
                + " %d tokens, %s new tokens, %d intra-op threads%n", parameters / 1e6, count,
                ourBatch == batch ? Integer.toString(batch) : ourBatch + " (transformers " + batch + ")", promptTokens,
                spread ? "up to " + newTokens + " (spread over the rows)" : Integer.toString(newTokens), threads);

        Path python = Path.of(System.getenv().getOrDefault("EVOMERGE_BENCH_PYTHON", "/work/venv/bin/python"));
        boolean withTransformers = Files.isExecutable(python) && !a.flag("no-transformers");
        double[] ourBest = {Double.MAX_VALUE, Double.MAX_VALUE};
        double[] linearBest = {Double.MAX_VALUE, Double.MAX_VALUE};
        double[] theirBest = {Double.MAX_VALUE, Double.MAX_VALUE};
        boolean panels = Projection.panelsAvailable();
        List<Generation> out;
        List<Generation> linearOut = null;
        int[][] theirRows = null;
        double tokens;
        try (InferenceEngine engine = InferenceEngine.cpu(threads); LoadedModel model = engine.load(dir);
                Transformers hf = withTransformers ? Transformers.start(python, dir, threads, newTokens, batch) : null) {
            CausalLm lm = CausalLm.of(model);
            List<GenerationOptions> options = new ArrayList<>();
            for (int b = 0; b < count; b++) {
                options.add(GenerationOptions.greedy(spread ? Math.max(1, newTokens * (b % batch + 1) / batch)
                        : newTokens));
            }
            out = lm.generate(prompts, options, ourBatch);
            if (panels) {
                Projection.usePanels(false);
                linearOut = lm.generate(prompts, options, ourBatch);
                Projection.usePanels(true);
            }
            // alternate the sides round by round, so that all see the same load on a shared machine
            for (int r = 0; r < rounds; r++) {
                out = time(ourBest, () -> lm.generate(prompts, options, ourBatch));
                if (panels) {
                    Projection.usePanels(false);
                    linearOut = time(linearBest, () -> lm.generate(prompts, options, ourBatch));
                    Projection.usePanels(true);
                }
                if (hf != null) {
                    JsonNode round = hf.round();
                    theirBest[0] = Math.min(theirBest[0], round.get("seconds").doubleValue());
                    theirBest[1] = Math.min(theirBest[1], round.get("cpu_seconds").doubleValue());
                    theirRows = new int[round.get("tokens").size()][];
                    for (int b = 0; b < theirRows.length; b++) {
                        theirRows[b] = ints(round.get("tokens").get(b));
                    }
                }
            }
            tokens = out.stream().mapToInt(g -> g.tokens().length).sum();
        }
        System.out.printf(Locale.ROOT, "%-31s %12s %20s%n", "", "tokens/s", "tokens per CPU-second");
        System.out.printf(Locale.ROOT, "%-38s %12.1f %20.1f%n", panels ? "evomerge (decode steps on the heap)"
                : "evomerge (DJL, PyTorch engine)", tokens / ourBest[0], tokens / ourBest[1]);
        if (panels) {
            System.out.printf(Locale.ROOT, "%-38s %12.1f %20.1f%n", "evomerge (decode steps in PyTorch)",
                    tokens / linearBest[0], tokens / linearBest[1]);
        } else {
            System.out.println("decode steps on the heap: not available (needs --add-modules jdk.incubator.vector and"
                    + " AVX2 or wider)");
        }
        if (linearOut != null) {
            System.out.println("same greedy tokens, decode steps on the heap and in PyTorch (every row): "
                    + sameTokens(out, linearOut));
        }
        if (theirRows == null) {
            System.out.println("transformers: skipped (no Python at " + python + "; set EVOMERGE_BENCH_PYTHON)");
            return;
        }
        System.out.printf(Locale.ROOT, "%-38s %12.1f %20.1f%n", "transformers (eager, float32)", tokens / theirBest[0],
                tokens / theirBest[1]);
        System.out.printf(Locale.ROOT, "%-38s %12.2f %20.2f   (target >= 1.5)%n", "ratio evomerge/transformers",
                theirBest[0] / ourBest[0], theirBest[1] / ourBest[1]);
        if (panels) {
            System.out.printf(Locale.ROOT, "%-38s %12.2f %20.2f%n", "ratio, decode steps in PyTorch",
                    theirBest[0] / linearBest[0], theirBest[1] / linearBest[1]);
        }
        boolean same = true;
        for (int b = 0; b < out.size(); b++) {
            int[] ours = out.get(b).tokens();
            same &= Arrays.equals(ours, Arrays.copyOf(theirRows[b], Math.min(theirRows[b].length, ours.length)));
        }
        System.out.println("same greedy tokens as transformers (every row, up to its budget): " + same);
    }

    private static boolean sameTokens(List<Generation> a, List<Generation> b) {
        for (int i = 0; i < a.size(); i++) {
            if (!Arrays.equals(a.get(i).tokens(), b.get(i).tokens())) {
                return false;
            }
        }
        return a.size() == b.size();
    }

    /** Runs {@code run}, keeping the best wall and process CPU seconds in {@code best}. */
    private static List<Generation> time(double[] best, java.util.function.Supplier<List<Generation>> run) {
        long start = System.nanoTime();
        long cpuStart = processCpuNanos();
        List<Generation> out = run.get();
        best[0] = Math.min(best[0], (System.nanoTime() - start) / 1e9);
        best[1] = Math.min(best[1], (processCpuNanos() - cpuStart) / 1e9);
        return out;
    }

    /** CPU time of this whole process (every thread, JIT and GC included), as Python's process_time counts it. */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
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

        static Transformers start(Path python, Path dir, int threads, int newTokens, int batch) throws IOException {
            Process p = new ProcessBuilder(python.toString(), "bench/hf_generate.py", "--model", dir.toString(),
                    "--threads", Integer.toString(threads), "--new-tokens", Integer.toString(newTokens), "--batch",
                    Integer.toString(batch))
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

    private static List<int[]> prompts(int batch, int length, int vocab) {
        SplittableRandom rnd = new SplittableRandom(5);
        List<int[]> out = new ArrayList<>();
        for (int b = 0; b < batch; b++) {
            out.add(rnd.ints(length, 3, vocab).toArray());
        }
        return out;
    }

    /** The synthetic model and the prompts for the Python side. */
    private static void writeModel(Path dir, List<int[]> prompts, SyntheticLlama d) throws IOException {
        StringBuilder json = new StringBuilder("[");
        for (int[] prompt : prompts) {
            json.append(json.length() > 1 ? ", " : "").append(Arrays.toString(prompt));
        }
        d.write(dir, Map.of("prompts.json", json.append("]\n").toString().getBytes(StandardCharsets.UTF_8)));
    }
}
