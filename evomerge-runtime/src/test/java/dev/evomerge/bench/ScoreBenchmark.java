package dev.evomerge.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.evomerge.eval.harness.EvaluationOptions;
import dev.evomerge.eval.harness.EvaluationResults;
import dev.evomerge.eval.harness.EvaluationRunner;
import dev.evomerge.eval.harness.TaskRun;
import dev.evomerge.eval.lm.InProcessLanguageModel;
import dev.evomerge.eval.task.Task;
import dev.evomerge.event.EventListener;
import dev.evomerge.infer.CausalLm;
import dev.evomerge.infer.InferenceEngine;
import dev.evomerge.infer.LoadedModel;
import dev.evomerge.infer.ScoringTokens;
import dev.evomerge.infer.Tokenizer;
import dev.evomerge.infer.block.Tensors;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Log-likelihood scoring throughput of evomerge's evaluation next to lm-evaluation-harness 0.4's Hugging Face backend
 * ({@code HFLM}, float32, CPU) on the same synthetic ~27M-parameter llama (sizes as {@code bench/run.sh generate}, with
 * a small byte-level BPE tokenizer), the same task files and data, the same batch size and one intra-op thread:
 *
 * <ul>
 *   <li>{@code bench_mc}: {@code multiple_choice}, {@code --mc-docs} documents of four multi-token choices, 3-shot
 *       (shots drawn per document, as lm-evaluation-harness's default sampler does) behind a shared description;</li>
 *   <li>{@code bench_ll}: {@code loglikelihood}, {@code --ll-docs} documents of a passage and its last word,
 *       1-shot;</li>
 *   <li>{@code bench_ll5}: the same documents 5-shot behind a description, shots drawn per document (the default
 *       sampler): a few-shot {@code loglikelihood} task with lm-evaluation-harness's defaults;</li>
 *   <li>{@code bench_ll5_first}: the same, with the first five examples of the pool for every document
 *       ({@code fewshot_config.sampler: first_n}, the layout of MMLU-style tasks' fixed development shots).</li>
 * </ul>
 *
 * Each side evaluates a whole task per round (prompts, requests, model, metrics); one warm-up each, then
 * {@code --rounds} rounds alternating between the two sides, best of each reported: documents/s and documents per
 * CPU-second of the whole process, and the metric values of both sides (which should agree). Per task it also prints
 * the token positions each side's forward passes run in one evaluation, and their cells (rows times width, padding
 * included): lm-eval's tokens over ours bound the speed-up that running fewer tokens can give. The Python side is
 * {@code bench/lmeval_score.py} on {@code EVOMERGE_BENCH_PYTHON} (default {@code /work/venv/bin/python}).
 *
 * <p>Run: {@code bench/run.sh score [--threads 1] [--batch 8] [--mc-docs 24] [--ll-docs 48] [--rounds 3]
 * [--tasks bench_mc,bench_ll,bench_ll5,bench_ll5_first] [--dir DIR] [--no-lmeval]}.
 */
public final class ScoreBenchmark {

    private static final String[] WORDS = ("red green blue white black brown yellow orange purple pink gray color "
            + "what is the of a sky grass snow blood night sun sea leaf milk coal apple banana chocolate rose "
            + "question answer word capital city country river mountain number plus minus equals two three four "
            + "five six seven eight nine ten and or not with from in on at big small old new").split(" ");

    /** Rows of the linear layers' timing: a batch of 8 rows of 128 tokens, as wide as the tasks' batches. */
    private static final int LINEAR_ROWS = 1024;

    /** The model the benchmark scores with, for its token counts. */
    private static CausalLm causal;

    public static void main(String[] args) throws IOException {
        BenchArgs a = new BenchArgs(args);
        int threads = (int) a.number("threads", 1);
        int batch = (int) a.number("batch", 8);
        int rounds = (int) a.number("rounds", 3);
        int mcDocs = (int) a.number("mc-docs", 24);
        int llDocs = (int) a.number("ll-docs", 48);
        Path dir = a.path("dir", "evomerge-runtime/target/bench/score").toAbsolutePath();
        SyntheticLlama dims = SyntheticLlama.from(a);
        Path modelDir = dir.resolve("model");
        Path tasksDir = dir.resolve("tasks");
        writeModel(modelDir, dims);
        writeTasks(tasksDir, mcDocs, llDocs);
        System.out.printf(Locale.ROOT, "model: synthetic llama, %.1fM parameters, float32; batch %d, %d intra-op"
                + " threads; bench_mc: %d docs x 4 choices, 3-shot; bench_ll: %d docs, 1-shot; bench_ll5: the same"
                + " docs, 5-shot drawn per doc; bench_ll5_first: 5-shot, the first five for all%n",
                dims.parameters() / 1e6, batch, threads, mcDocs, llDocs);

        List<String> names = List.of(a.text("tasks", "bench_mc,bench_ll,bench_ll5,bench_ll5_first").split(","));
        Map<String, Integer> docs = Map.of("bench_mc", mcDocs, "bench_ll", llDocs, "bench_ll5", llDocs,
                "bench_ll5_first", llDocs);
        for (String name : names) {
            if (!docs.containsKey(name)) {
                throw new IllegalArgumentException("unknown task " + name + "; pick from " + docs.keySet());
            }
        }
        Path python = Path.of(System.getenv().getOrDefault("EVOMERGE_BENCH_PYTHON", "/work/venv/bin/python"));
        boolean withLmEval = Files.isExecutable(python) && !a.flag("no-lmeval");
        Map<String, double[]> ours = new LinkedHashMap<>();
        Map<String, double[]> theirs = new LinkedHashMap<>();
        Map<String, Map<String, Double>> ourMetrics = new LinkedHashMap<>();
        Map<String, JsonNode> theirMetrics = new LinkedHashMap<>();
        Map<String, ScoringTokens> ourTokens = new LinkedHashMap<>();
        Map<String, long[]> theirTokens = new LinkedHashMap<>();
        double linearSeconds; // per token, the decoder layers' linear layers alone
        EvaluationOptions options = EvaluationOptions.defaults(EventListener.NONE);
        try (InferenceEngine engine = InferenceEngine.cpu(threads);
                InProcessLanguageModel lm = open(engine, modelDir, batch);
                LmEval py = withLmEval ? LmEval.start(python, modelDir, tasksDir, threads, batch, names) : null) {
            Map<String, TaskRun> runs = new LinkedHashMap<>();
            for (String name : names) {
                runs.put(name, TaskRun.of(Task.load(tasksDir.resolve(name + ".yaml"), EventListener.NONE)));
                EvaluationRunner.run(lm, List.of(runs.get(name)), options);
                ours.put(name, new double[] {Double.MAX_VALUE, Double.MAX_VALUE});
                theirs.put(name, new double[] {Double.MAX_VALUE, Double.MAX_VALUE});
            }
            // alternate the two sides round by round, so that both see the same load on a shared machine
            for (int r = 0; r < rounds; r++) {
                for (String name : names) {
                    ScoringTokens before = causal.scoringTokens();
                    long start = System.nanoTime();
                    long cpuStart = processCpuNanos();
                    EvaluationResults result = EvaluationRunner.run(lm, List.of(runs.get(name)), options);
                    best(ours.get(name), (System.nanoTime() - start) / 1e9, (processCpuNanos() - cpuStart) / 1e9);
                    ourMetrics.put(name, result.tasks().getFirst().metrics());
                    ScoringTokens after = causal.scoringTokens();
                    ourTokens.put(name, new ScoringTokens(after.requests() - before.requests(),
                            after.tokens() - before.tokens(), after.cells() - before.cells()));
                    if (py != null) {
                        JsonNode round = py.round(name);
                        best(theirs.get(name), round.get("seconds").doubleValue(),
                                round.get("cpu_seconds").doubleValue());
                        theirMetrics.put(name, round.get("metrics"));
                        theirTokens.put(name, new long[] {round.get("tokens").longValue(),
                                round.get("cells").longValue()});
                    }
                }
            }
            linearSeconds = linearSecondsPerToken(engine, dims, LINEAR_ROWS);
        }
        System.out.printf(Locale.ROOT, "%-44s %10s %18s%n", "", "docs/s", "docs per CPU-second");
        for (String name : names) {
            int n = docs.get(name);
            double[] o = ours.get(name);
            System.out.printf(Locale.ROOT, "%-44s %10.2f %18.2f   %s%n", name + ": evomerge (DJL, PyTorch engine)",
                    n / o[0], n / o[1], ourMetrics.get(name));
            if (py(theirMetrics, name)) {
                double[] t = theirs.get(name);
                System.out.printf(Locale.ROOT, "%-44s %10.2f %18.2f   %s%n", name + ": lm-evaluation-harness (hf)",
                        n / t[0], n / t[1], theirMetrics.get(name));
                System.out.printf(Locale.ROOT, "%-44s %10.2f %18.2f   (target >= 3)%n",
                        name + ": ratio evomerge/lm-eval", t[0] / o[0], t[1] / o[1]);
            }
        }
        System.out.printf(Locale.ROOT, "%ntokens run per evaluation (cells with padding):%n");
        for (String name : names) {
            ScoringTokens o = ourTokens.get(name);
            System.out.printf(Locale.ROOT, "%-16s %6d requests  evomerge %7d (%7d)", name, o.requests(), o.tokens(),
                    o.cells());
            if (py(theirMetrics, name)) {
                long tokens = theirTokens.get(name)[0];
                long cells = theirTokens.get(name)[1];
                System.out.printf(Locale.ROOT, "  lm-eval %7d (%7d)  lm-eval/evomerge %.2f (%.2f)", tokens, cells,
                        (double) tokens / o.tokens(), (double) cells / o.cells());
            }
            System.out.println();
        }
        System.out.printf(Locale.ROOT, "%nthe decoder layers' linear layers alone, PyTorch's linear on this engine at %d"
                + " rows: %.1f GFLOP/s; a pass can take no less than its tokens' share of that%n", LINEAR_ROWS,
                2.0 * dims.linearParameters() / linearSeconds / 1e9);
        for (String name : names) {
            if (py(theirMetrics, name)) {
                ScoringTokens o = ourTokens.get(name);
                double floor = o.tokens() * linearSeconds;
                System.out.printf(Locale.ROOT, "%-16s evomerge's %d tokens need >= %.2f s of linear layers (best"
                        + " evaluation %.2f s): the ratio to lm-eval can reach at most %.2f%n", name, o.tokens(), floor,
                        ours.get(name)[0], theirs.get(name)[0] / floor);
            }
        }
        if (theirMetrics.isEmpty()) {
            System.out.println("lm-evaluation-harness: skipped (no Python at " + python
                    + "; set EVOMERGE_BENCH_PYTHON)");
        }
    }

    /**
     * Seconds per token of the decoder layers' linear layers (attention's four projections and the MLP's three, every
     * layer) as PyTorch's {@code linear} runs them on this engine with {@code rows} rows: the least a forward pass can
     * take per token whatever else it saves. Best of 5 timings of each shape after a warm-up.
     */
    private static double linearSecondsPerToken(InferenceEngine engine, SyntheticLlama dims, int rows) {
        int kv = dims.hidden() / SyntheticLlama.HEADS * SyntheticLlama.KV_HEADS;
        int[][] shapes = {{dims.hidden(), dims.hidden()}, {kv, dims.hidden()}, {kv, dims.hidden()},
                {dims.hidden(), dims.hidden()}, {dims.intermediate(), dims.hidden()},
                {dims.intermediate(), dims.hidden()}, {dims.hidden(), dims.intermediate()}};
        double seconds = 0;
        try (NDManager m = engine.newRequestManager()) {
            for (int[] shape : shapes) {
                NDArray w = m.randomNormal(new Shape(shape[0], shape[1]));
                NDArray x = m.randomNormal(new Shape(rows, shape[1]));
                double best = Double.MAX_VALUE;
                for (int r = 0; r < 8; r++) {
                    long start = System.nanoTime();
                    Tensors.linear(x, w, null).close(); // PyTorch runs it eagerly, on this thread's call
                    if (r >= 3) {
                        best = Math.min(best, (System.nanoTime() - start) / 1e9);
                    }
                }
                seconds += best;
            }
        }
        return seconds * dims.layers() / rows;
    }

    /** The model directory in process, keeping its {@link CausalLm} at hand for the token counts. */
    private static InProcessLanguageModel open(InferenceEngine engine, Path modelDir, int batch) {
        Tokenizer tokenizer = Tokenizer.load(modelDir);
        LoadedModel model = engine.load(modelDir);
        causal = CausalLm.of(model);
        return InProcessLanguageModel.owning(modelDir.toString(), causal, tokenizer, modelDir, batch,
                EventListener.NONE, List.of(model, tokenizer));
    }

    private static boolean py(Map<String, JsonNode> metrics, String name) {
        return metrics.containsKey(name);
    }

    private static void best(double[] best, double seconds, double cpu) {
        best[0] = Math.min(best[0], seconds);
        best[1] = Math.min(best[1], cpu);
    }

    /** CPU time of this whole process (every thread, JIT and GC included), as Python's process_time counts it. */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** {@code bench/lmeval_score.py} running beside us, timing one task evaluation per request. */
    private record LmEval(Process process, BufferedReader out, Writer in) implements AutoCloseable {

        static LmEval start(Path python, Path model, Path tasks, int threads, int batch, List<String> names)
                throws IOException {
            List<String> command = new ArrayList<>(List.of(python.toString(), "bench/lmeval_score.py", "--model",
                    model.toString(), "--tasks", tasks.toString(), "--threads", Integer.toString(threads),
                    "--batch", Integer.toString(batch)));
            command.addAll(names);
            Process p = new ProcessBuilder(command).redirectError(tasks.resolve("lmeval.log").toFile()).start();
            LmEval e = new LmEval(p, new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8)), new OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8));
            e.read(tasks);
            return e;
        }

        JsonNode round(String task) throws IOException {
            in.write("run " + task + "\n");
            in.flush();
            return read(null);
        }

        private JsonNode read(Path tasks) throws IOException {
            String line = out.readLine();
            if (line == null) {
                throw new IOException("bench/lmeval_score.py ended early; see " + (tasks == null ? "lmeval.log"
                        : tasks.resolve("lmeval.log")));
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

    /** The synthetic model with the test suite's tiny byte-level BPE tokenizer (ids below 360). */
    private static void writeModel(Path dir, SyntheticLlama dims) throws IOException {
        Map<String, byte[]> extra = new LinkedHashMap<>();
        for (String file : List.of("tokenizer.json", "tokenizer_config.json")) {
            try (InputStream in = ScoreBenchmark.class.getResourceAsStream("/eval/lmeval/model/" + file)) {
                if (in == null) {
                    throw new IOException("test resource eval/lmeval/model/" + file + " is missing");
                }
                extra.put(file, in.readAllBytes());
            }
        }
        dims.write(dir, extra);
    }

    private static String sentence(SplittableRandom rnd, int words) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < words; i++) {
            s.append(i == 0 ? "" : " ").append(WORDS[rnd.nextInt(WORDS.length)]);
        }
        return s.toString();
    }

    private static void writeTasks(Path dir, int mcDocs, int llDocs) throws IOException {
        Files.createDirectories(dir);
        SplittableRandom rnd = new SplittableRandom(3);
        ObjectMapper json = new ObjectMapper();
        for (String split : List.of("train", "test")) {
            StringBuilder mc = new StringBuilder();
            StringBuilder ll = new StringBuilder();
            int n = split.equals("train") ? 16 : mcDocs;
            for (int i = 0; i < n; i++) {
                List<String> choices = new ArrayList<>();
                for (int c = 0; c < 4; c++) {
                    choices.add(sentence(rnd, 2 + rnd.nextInt(4)));
                }
                mc.append(json.writeValueAsString(Map.of("question", sentence(rnd, 10 + rnd.nextInt(6)) + "?",
                        "choices", choices, "label", rnd.nextInt(4)))).append('\n');
            }
            n = split.equals("train") ? 16 : llDocs;
            for (int i = 0; i < n; i++) {
                ll.append(json.writeValueAsString(Map.of("context", sentence(rnd, 20 + rnd.nextInt(10)),
                        "word", WORDS[rnd.nextInt(WORDS.length)]))).append('\n');
            }
            Files.writeString(dir.resolve("mc_" + split + ".jsonl"), mc);
            Files.writeString(dir.resolve("ll_" + split + ".jsonl"), ll);
        }
        Files.writeString(dir.resolve("bench_mc.yaml"), """
                task: bench_mc
                dataset_path: json
                dataset_kwargs:
                  data_files:
                    train: %s
                    test: %s
                training_split: train
                test_split: test
                description: "The following are questions about colors, numbers and things, with answers.\\n\\n"
                doc_to_text: "Question: {{question}}\\nAnswer:"
                doc_to_choice: choices
                doc_to_target: label
                num_fewshot: 3
                output_type: multiple_choice
                metric_list:
                  - metric: acc
                    aggregation: mean
                    higher_is_better: true
                  - metric: acc_norm
                    aggregation: mean
                    higher_is_better: true
                """.formatted(dir.resolve("mc_train.jsonl"), dir.resolve("mc_test.jsonl")));
        Files.writeString(dir.resolve("bench_ll.yaml"), loglikelihoodTask(dir, "bench_ll", 1, "", ""));
        String description = "description: \"Each passage below is followed by its last word.\\n\\n\"\n";
        for (String sampler : List.of("default", "first_n")) {
            String name = sampler.equals("default") ? "bench_ll5" : "bench_ll5_first";
            Files.writeString(dir.resolve(name + ".yaml"), loglikelihoodTask(dir, name, 5, description,
                    "fewshot_config:\n  sampler: " + sampler + "\n"));
        }
    }

    /**
     * A {@code loglikelihood} task over the passages and their last words, {@code shots}-shot, with the lines
     * {@code description} (before the prompt's fields) and {@code fewshot} (after {@code num_fewshot}), each empty or
     * ending with a line break.
     */
    private static String loglikelihoodTask(Path dir, String name, int shots, String description, String fewshot) {
        return """
                task: %s
                dataset_path: json
                dataset_kwargs:
                  data_files:
                    train: %s
                    test: %s
                training_split: train
                test_split: test
                %sdoc_to_text: "{{context}}"
                doc_to_target: " {{word}}"
                num_fewshot: %d
                %soutput_type: loglikelihood
                metric_list:
                  - metric: perplexity
                    aggregation: perplexity
                    higher_is_better: false
                  - metric: acc
                    aggregation: mean
                    higher_is_better: true
                """.formatted(name, dir.resolve("ll_train.jsonl"), dir.resolve("ll_test.jsonl"), description, shots,
                fewshot);
    }
}
