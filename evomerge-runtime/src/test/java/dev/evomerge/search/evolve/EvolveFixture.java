package dev.evomerge.search.evolve;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.evomerge.model.Architectures;
import dev.evomerge.model.ModelDirectory;
import dev.evomerge.model.ModelReference;
import dev.evomerge.model.ResolvedModel;
import dev.evomerge.model.SyntheticModel;
import dev.evomerge.tensor.DType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * A tiny evolve setting on disk: a base llama model and two perturbed "fine-tunes" (models/base, models/a,
 * models/b), and a log-likelihood task (tasks/words.yaml) with train, validation and test splits scored by
 * perplexity, so that every candidate gets a distinct, continuous fitness.
 */
public final class EvolveFixture {

    private static final List<String> CONTEXTS = List.of("The cat sat on the", "Birds fly in the",
            "Fish swim in the", "I read a good", "She poured a cup of", "We walked along the", "He opened the",
            "They planted a", "The sun is", "Snow is", "The dog chased the", "Bread is made from", "At night we see the",
            "A week has seven", "Ice is very");
    private static final List<String> WORDS = List.of("mat", "sky", "sea", "book", "tea", "beach", "door", "tree",
            "hot", "cold", "ball", "flour", "moon", "days", "cold");

    private EvolveFixture() {
    }

    /** Writes the models and the task into {@code dir}. */
    public static void create(Path dir) {
        try {
            Path models = dir.resolve("models");
            new SyntheticModel("llama", 2, 32, 64, 120, 4, 2, DType.F32, 11).write(models.resolve("base"), false);
            ModelDirectory base = ModelDirectory.load(new ResolvedModel(ModelReference.of("base"),
                    models.resolve("base"), false), Architectures.builtIn());
            SyntheticModel.perturb(base, models.resolve("a"), 0.5, 12, false);
            SyntheticModel.perturb(base, models.resolve("b"), 0.5, 13, false);
            Path data = dir.resolve("data").resolve("words");
            Files.createDirectories(data);
            String[] splits = {"train", "validation", "test"};
            for (int s = 0; s < splits.length; s++) {
                StringBuilder lines = new StringBuilder();
                for (int i = s * 5; i < s * 5 + 5; i++) {
                    lines.append(String.format(Locale.ROOT, "{\"context\": \"%s\", \"word\": \"%s\"}%n",
                            CONTEXTS.get(i), WORDS.get(i)));
                }
                Files.writeString(data.resolve(splits[s] + ".jsonl"), lines);
            }
            Path tasks = dir.resolve("tasks");
            Files.createDirectories(tasks);
            Files.writeString(tasks.resolve("words.yaml"), """
                    task: words
                    dataset_path: ../data/words
                    training_split: train
                    validation_split: validation
                    test_split: test
                    doc_to_text: "{{context}}"
                    doc_to_target: " {{word}}"
                    output_type: loglikelihood
                    """);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The tasks section used by the tests: perplexity, searched on train, chosen on validation, test reported. */
    public static final String TASKS = """
            tasks:
              - file: tasks/words.yaml
                metric: perplexity,none
                lower_is_better: true
                splits: {search: train, validation: validation, test: test}
            """;

    /** A genome section: task arithmetic of models/a and models/b onto models/base, in float32. */
    public static final String GENOME = """
            genome:
              models: [models/a, models/b]
              base_model: models/base
              merge_method: task_arithmetic
              dtype: float32
            """;

    /** A genome section: ties of models/a and models/b onto models/base, in float32. */
    public static final String TIES_GENOME = """
            genome:
              models: [models/a, models/b]
              base_model: models/base
              merge_method: ties
              dtype: float32
            """;

    /** A dfs section: models/a and models/b, each layer once, one scale a step. */
    public static final String DFS = """
            dfs:
              models: [models/a, models/b]
              repeats: 1
              scaling: per_step
            """;

    /** A search section: CMA-ES with a population of 4 for {@code generations} generations, default seed. */
    public static String cmaes(int generations) {
        return "search:\n  optimizer: cmaes\n  population: 4\n  budget: {generations: " + generations + "}\n";
    }

    /** A run's {@code history.jsonl}, each line without its wall time ({@code seconds}), which differs between runs. */
    public static List<String> historyWithoutSeconds(Path work) throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<String> lines = new java.util.ArrayList<>();
        for (String line : Files.readAllLines(work.resolve("history.jsonl"))) {
            ObjectNode o = (ObjectNode) json.readTree(line);
            o.remove("seconds");
            lines.add(o.toString());
        }
        return lines;
    }
}
