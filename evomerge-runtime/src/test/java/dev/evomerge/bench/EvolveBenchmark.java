package dev.evomerge.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.evomerge.event.EventListener;
import dev.evomerge.model.Architectures;
import dev.evomerge.model.ModelDirectory;
import dev.evomerge.model.ModelReference;
import dev.evomerge.model.ModelResolver;
import dev.evomerge.model.ResolvedModel;
import dev.evomerge.model.SyntheticModel;
import dev.evomerge.search.evolve.EvolutionResult;
import dev.evomerge.search.evolve.EvolutionRun;
import dev.evomerge.search.evolve.EvolveConfigReader;
import dev.evomerge.tensor.DType;
import dev.evomerge.tensor.io.StagedDirectory;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * An evolve run end to end on synthetic models: a base llama and two fine-tune-like perturbations of it
 * ({@code --layers}, {@code --hidden}; float32, the synthetic char-level tokenizer), searched in the parameter space
 * (task_arithmetic, CMA-ES) and then in the data-flow space (hybrid), scored in process on a 2-shot
 * {@code multiple_choice} task of {@code --docs} documents with four choices. Reports evaluations per minute (wall
 * and per CPU-minute of the process) and, per stage, the share of wall time spent merging, loading, scoring and in the
 * optimizer (summary.json's {@code time_shares}). Target: scoring at least 90% of the wall time.
 *
 * <p>Run: {@code bench/run.sh evolve [--layers 4] [--hidden 256] [--docs 16] [--population 6] [--generations 3]
 * [--threads 1] [--runs 1] [--dir DIR]}.
 *
 * <p>With {@code --example DIR} it runs an example project's evolve config instead ({@code --config NAME}, default
 * {@code evolve.yml}, under {@code DIR/src/evomerge}; models resolved against {@code DIR}, as the example's Maven
 * build resolves them), e.g. {@code --example examples/tiny-jp-math}: the trained tiny models, their tasks and the
 * settings the example's build uses, budget included.
 *
 * <p>{@code --runs N} (default 1) runs the same evolve N times in this JVM, each in a fresh work directory: the first
 * is what a run costs in a JVM that starts with it, the later ones what it costs once the JIT has compiled the
 * merge and scoring code (a separate figure: it shows how much of a short stage is the JVM's warm-up).
 */
public final class EvolveBenchmark {

    private static final String[] WORDS = ("red green blue white black brown yellow sky grass snow blood night sun "
            + "sea leaf milk coal apple rose what is the of a color").split(" ");

    public static void main(String[] args) throws IOException {
        BenchArgs a = new BenchArgs(args);
        int layers = (int) a.number("layers", 4);
        int hidden = (int) a.number("hidden", 256);
        int docs = (int) a.number("docs", 16);
        int population = (int) a.number("population", 6);
        int generations = (int) a.number("generations", 3);
        int threads = (int) a.number("threads", 1);
        int runs = (int) a.number("runs", 1);
        if (runs < 1) {
            throw new IllegalArgumentException("--runs must be at least 1");
        }
        Path dir = a.path("dir", "evomerge-runtime/target/bench/evolve").toAbsolutePath();
        StagedDirectory.deleteRecursively(dir);
        if (!a.text("example", "").isEmpty()) {
            Path example = a.path("example", "").toAbsolutePath();
            Path config = example.resolve("src/evomerge").resolve(a.text("config", "evolve.yml"));
            report(config, example, dir, runs, String.format(Locale.ROOT, "evolve run of %s (%s), as its build runs it",
                    example.getFileName(), config.getFileName()));
            return;
        }
        Path models = dir.resolve("models");
        SyntheticModel spec = new SyntheticModel("llama", layers, hidden, hidden * 11 / 4, 128, 8, 4, DType.F32, 1);
        spec.write(models.resolve("base"), false);
        ModelDirectory base = ModelDirectory.load(new ResolvedModel(ModelReference.of("base"), models.resolve("base"),
                false), Architectures.builtIn());
        SyntheticModel.perturb(base, models.resolve("a"), 0.5, 2, false);
        SyntheticModel.perturb(base, models.resolve("b"), 0.5, 3, false);
        writeTask(dir, docs);
        Path config = dir.resolve("evolve.yml");
        Files.writeString(config, String.format(Locale.ROOT, """
                genome:
                  models: [models/a, models/b]
                  base_model: models/base
                  merge_method: task_arithmetic
                  dtype: float32
                dfs:
                  models: [ps, models/a]
                  repeats: 1
                tasks:
                  - file: tasks/mc.yaml
                    metric: acc_norm,none
                    splits: {search: train, validation: validation}
                search:
                  population: %d
                  budget: {generations: %d}
                evaluation:
                  threads: %d
                  batch_size: 8
                """, population, generations, threads));
        report(config, dir, dir, runs, String.format(Locale.ROOT, "hybrid evolve (PS task_arithmetic, then DFS),"
                + " synthetic"
                + " llama %d layers, hidden %d, %.1fM parameters; %d-doc 2-shot multiple_choice search split;"
                + " population %d, %d generations per stage, %d evaluation thread(s)", layers, hidden,
                parameters(spec) / 1e6, docs, population, generations, threads));
    }

    /**
     * Runs the evolve config (models resolved against {@code base}) {@code runs} times in this JVM, in
     * {@code dir/work}, {@code dir/work-2}, ..., and prints each run's figures.
     */
    private static void report(Path config, Path base, Path dir, int runs, String title) throws IOException {
        for (int run = 1; run <= runs; run++) {
            Path work = dir.resolve(run == 1 ? "work" : "work-" + run);
            reportRun(config, base, work, run == 1 ? title : "the same, run " + run + " in this JVM");
        }
    }

    private static void reportRun(Path config, Path base, Path work, String title) throws IOException {
        long cpu = processCpuNanos();
        long start = System.nanoTime();
        EvolutionResult result = EvolutionRun.run(EvolveConfigReader.read(config, EventListener.NONE), work, false,
                new ModelResolver(base, Map.of()), EventListener.NONE);
        double seconds = (System.nanoTime() - start) / 1e9;
        double cpuSeconds = (processCpuNanos() - cpu) / 1e9;
        JsonNode summary = new ObjectMapper().readTree(work.resolve("summary.json").toFile());
        System.out.println(title);
        System.out.printf(Locale.ROOT, "%d evaluations in %.1f s (%.1f CPU-s): %.1f evaluations/min, %.1f per"
                + " CPU-minute%n", result.evaluations(), seconds, cpuSeconds, result.evaluations() / seconds * 60,
                result.evaluations() / cpuSeconds * 60);
        System.out.printf(Locale.ROOT, "%-6s %10s %8s %8s %8s %10s %8s%n", "stage", "wall s", "merge", "load",
                "scoring", "optimizer", "other");
        summary.path("time_shares").fields().forEachRemaining(e -> {
            JsonNode t = e.getValue();
            System.out.printf(Locale.ROOT, "%-6s %10.1f %7.1f%% %7.1f%% %7.1f%% %9.1f%% %7.1f%%%n", e.getKey(),
                    t.path("wall_seconds").asDouble(), 100 * t.path("merge").asDouble(),
                    100 * t.path("load").asDouble(), 100 * t.path("scoring").asDouble(),
                    100 * t.path("optimizer").asDouble(), 100 * t.path("other").asDouble());
        });
        System.out.println("target: scoring >= 90% of each stage's wall time (the rest of a run, after the searches,"
                + " scores the finalists and writes the result)");
    }

    private static long parameters(SyntheticModel s) {
        long attention = 2L * s.hidden() * s.hidden() + 2L * s.hidden() * (s.hidden() / s.heads()) * s.kvHeads();
        return s.layers() * (attention + 3L * s.hidden() * s.intermediate()) + 2L * s.vocab() * s.hidden();
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static String sentence(SplittableRandom rnd, int words) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < words; i++) {
            s.append(i == 0 ? "" : " ").append(WORDS[rnd.nextInt(WORDS.length)]);
        }
        return s.toString();
    }

    private static void writeTask(Path dir, int docs) throws IOException {
        Path data = Files.createDirectories(dir.resolve("data"));
        SplittableRandom rnd = new SplittableRandom(7);
        ObjectMapper json = new ObjectMapper();
        for (String split : new String[] {"train", "validation"}) {
            StringBuilder lines = new StringBuilder();
            for (int i = 0; i < docs; i++) {
                String[] choices = new String[4];
                for (int c = 0; c < 4; c++) {
                    choices[c] = sentence(rnd, 1 + rnd.nextInt(3));
                }
                lines.append(json.writeValueAsString(Map.of("question", sentence(rnd, 8), "choices", choices,
                        "label", rnd.nextInt(4)))).append('\n');
            }
            Files.writeString(data.resolve(split + ".jsonl"), lines);
        }
        Path tasks = Files.createDirectories(dir.resolve("tasks"));
        Files.writeString(tasks.resolve("mc.yaml"), """
                task: mc
                dataset_path: ../data
                training_split: train
                validation_split: validation
                fewshot_split: train
                num_fewshot: 2
                doc_to_text: "Question: {{question}}?\\nAnswer:"
                doc_to_choice: choices
                doc_to_target: label
                output_type: multiple_choice
                metric_list:
                  - metric: acc_norm
                """);
    }
}
