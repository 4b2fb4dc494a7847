package dev.evomerge.cli;

import dev.evomerge.tensor.io.StagedDirectory;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The training run behind the CLI's ahead-of-time cache (JDK 25: JEPs 483, 514 and 515): in one JVM, through the
 * command line, what a first use of evomerge does on tiny models — synth a base and two fine-tunes, merge them
 * (ties in f32, linear in bf16), evaluate the merge on a log-likelihood, a multiple-choice and a generation task,
 * and evolve a recipe for two generations — so that the classes those paths load and link, and their methods'
 * profiles, are in the cache that the {@code evomerge} launcher hands to later JVMs.
 *
 * <p>The package build runs it as {@code java -XX:AOTCacheOutput=evomerge.aot -cp evomerge-VERSION-cli.jar
 * dev.evomerge.cli.AotTraining WORK_DIR}; it writes only under {@code WORK_DIR}, which it deletes at the end. A
 * failed step ends the run with status 1 and its output (the cache would then miss that path).
 */
public final class AotTraining {

    private AotTraining() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: AotTraining WORK_DIR");
            System.exit(2);
        }
        Path work = Path.of(args[0]).toAbsolutePath();
        try {
            train(work);
        } finally {
            StagedDirectory.deleteRecursively(work);
        }
    }

    private static void train(Path work) throws IOException {
        Path models = work.resolve("models");
        String base = models.resolve("base").toString();
        String tiny = "--layers 2 --hidden 32 --intermediate 64 --vocab 128 --heads 4 --kv-heads 2 --dtype f32";
        step("synth " + base + " " + tiny + " --seed 1");
        step("synth " + models.resolve("a") + " --base " + base + " --seed 2");
        step("synth " + models.resolve("b") + " --base " + base + " --seed 3");
        Files.writeString(work.resolve("merge.yml"), String.format(Locale.ROOT, """
                merge_method: ties
                base_model: %s
                models:
                  - model: %s
                    parameters: {weight: 0.6, density: 0.5}
                  - model: %s
                    parameters: {weight: 0.4, density: 0.5}
                dtype: float32
                """, base, models.resolve("a"), models.resolve("b")));
        Path merged = work.resolve("merged");
        step("merge " + work.resolve("merge.yml") + " " + merged + " --threads 1");
        // the bf16 path of a linear merge, the most common one-shot merge, on tensors large enough (128k elements)
        // that its kernels run long enough to be profiled
        String base16 = models.resolve("base16").toString();
        step("synth " + base16 + " --layers 1 --hidden 256 --intermediate 512 --vocab 512 --heads 4 --dtype bf16"
                + " --seed 4");
        step("synth " + models.resolve("a16") + " --base " + base16 + " --seed 5");
        step("synth " + models.resolve("b16") + " --base " + base16 + " --seed 6");
        Files.writeString(work.resolve("linear.yml"), String.format(Locale.ROOT, """
                merge_method: linear
                models:
                  - model: %s
                    parameters: {weight: 0.2}
                  - model: %s
                    parameters: {weight: 0.4}
                  - model: %s
                    parameters: {weight: 0.4}
                """, base16, models.resolve("a16"), models.resolve("b16")));
        for (int i = 0; i < 3; i++) {
            step("merge " + work.resolve("linear.yml") + " " + work.resolve("linear") + " --threads 2 --overwrite");
        }
        writeTasks(work);
        String tasks = Stream.of("words.yaml", "colors.yaml", "sums.yaml")
                .map(t -> work.resolve("tasks").resolve(t).toString()).reduce((x, y) -> x + " " + y).orElseThrow();
        step("evaluate --model " + merged + " --task " + tasks + " --threads 1 --output "
                + work.resolve("results.json"));
        Files.writeString(work.resolve("evolve.yml"), String.format(Locale.ROOT, """
                genome:
                  models: [%s, %s]
                  base_model: %s
                  merge_method: task_arithmetic
                  dtype: float32
                tasks:
                  - file: %s
                    metric: acc,none
                    splits: {search: test, validation: test}
                search:
                  population: 4
                  budget: {generations: 2}
                evaluation:
                  threads: 1
                """, models.resolve("a"), models.resolve("b"), base, work.resolve("tasks").resolve("colors.yaml")));
        step("evolve " + work.resolve("evolve.yml") + " --work-dir " + work.resolve("run"));
        step("--version");
        // the usage of the root (every command's annotations) and of a command
        step("--help");
        step("merge --help");
    }

    private static void step(String command) {
        StringWriter out = new StringWriter();
        int status = EvomergeCli.run(command.split(" "), new PrintWriter(out, true), new PrintWriter(out, true));
        if (status != 0) {
            System.err.println("AOT training step failed (status " + status + "): evomerge " + command);
            System.err.println(out);
            System.exit(1);
        }
    }

    private static void writeTasks(Path work) throws IOException {
        Path tasks = Files.createDirectories(work.resolve("tasks"));
        StringBuilder words = new StringBuilder();
        StringBuilder colors = new StringBuilder();
        StringBuilder sums = new StringBuilder();
        List<String> names = List.of("red", "green", "blue", "white", "black", "brown");
        for (int i = 0; i < 6; i++) {
            words.append(String.format(Locale.ROOT, "{\"context\": \"the %s cat sat on the\", \"word\": \"mat\"}%n",
                    names.get(i)));
            colors.append(String.format(Locale.ROOT, "{\"question\": \"what color is thing %d?\", \"choices\":"
                    + " [\"red\", \"green\", \"blue\", \"white\"], \"label\": %d}%n", i, i % 4));
            sums.append(String.format(Locale.ROOT, "{\"question\": \"%d + %d =\", \"answer\": \"%d\"}%n", i, i,
                    2 * i));
        }
        Files.writeString(tasks.resolve("words.jsonl"), words);
        Files.writeString(tasks.resolve("colors.jsonl"), colors);
        Files.writeString(tasks.resolve("sums.jsonl"), sums);
        Files.writeString(tasks.resolve("words.yaml"), """
                task: words
                dataset_path: words.jsonl
                test_split: test
                doc_to_text: "{{context}}"
                doc_to_target: " {{word}}"
                output_type: loglikelihood
                """);
        Files.writeString(tasks.resolve("colors.yaml"), """
                task: colors
                dataset_path: colors.jsonl
                test_split: test
                fewshot_split: test
                num_fewshot: 2
                doc_to_text: "Question: {{question}}\\nAnswer:"
                doc_to_choice: choices
                doc_to_target: label
                output_type: multiple_choice
                metric_list:
                  - metric: acc
                  - metric: acc_norm
                """);
        Files.writeString(tasks.resolve("sums.yaml"), """
                task: sums
                dataset_path: sums.jsonl
                test_split: test
                doc_to_text: "{{question}}"
                doc_to_target: "{{answer}}"
                output_type: generate_until
                generation_kwargs:
                  until: ["\\n"]
                  max_gen_toks: 8
                metric_list:
                  - metric: exact_match
                """);
    }
}
