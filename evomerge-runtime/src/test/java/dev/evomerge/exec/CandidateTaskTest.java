package dev.evomerge.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.evomerge.config.MergeConfigFile;
import dev.evomerge.eval.Candidate;
import dev.evomerge.eval.harness.EvaluationOptions;
import dev.evomerge.eval.EvaluationOutcome;
import dev.evomerge.eval.merger.InMemoryMerger;
import dev.evomerge.eval.InProcessEvaluator;
import dev.evomerge.eval.fitness.Objective;
import dev.evomerge.eval.harness.TaskRun;
import dev.evomerge.eval.lm.InProcessLanguageModel;
import dev.evomerge.eval.task.Task;
import dev.evomerge.event.EventListener;
import dev.evomerge.infer.InferenceEngine;
import dev.evomerge.merge.MergeExecutor;
import dev.evomerge.merge.MergeModels;
import dev.evomerge.model.Architectures;
import dev.evomerge.model.ModelResolver;
import dev.evomerge.search.evolve.EvolveFixture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an array task does with a candidate's folder, run here without Slurm: its scores are the ones the same recipe
 * gets merged and evaluated in process; with a command it merges the recipe to disk, runs the command and removes the
 * model; a candidate that cannot be merged is a result with its reason, not a crash.
 */
class CandidateTaskTest {

    private static final String RECIPE = """
            merge_method: ties
            base_model: models/base
            models:
              - model: models/a
                parameters: {weight: 0.7, density: 0.6}
              - model: models/b
                parameters: {weight: 0.4, density: 0.8}
            dtype: float32
            """;

    @TempDir
    static Path dir;

    @BeforeAll
    static void fixture() {
        EvolveFixture.create(dir);
    }

    private static Path folder(String name, String recipe, Optional<String> command) throws IOException {
        Path folder = dir.resolve(name);
        Files.createDirectories(folder);
        Files.writeString(folder.resolve(CandidateSpec.RECIPE), recipe);
        CandidateSpec spec = new CandidateSpec(name, Optional.of(CandidateSpec.RECIPE), Optional.empty(), dir,
                List.of(new CandidateSpec.Run(dir.resolve("tasks/words.yaml"), "train", Optional.of(List.of(0, 2, 4)),
                        OptionalDouble.empty())), 4, 7, command, Duration.ofMinutes(2),
                List.of(Objective.of("words", "perplexity,none")));
        Files.writeString(folder.resolve(CandidateSpec.FILE), spec.toJson());
        assertEquals(spec, CandidateSpec.read(folder.resolve(CandidateSpec.FILE)));
        return folder;
    }

    @Test
    void recipe_scoredAsInProcess_resultWrittenAndReadBack() throws IOException {
        Path folder = folder("c0", RECIPE, Optional.empty());
        EvaluationOutcome outcome = CandidateTask.run(folder, 1, Map.of(), EventListener.NONE);
        EvaluationOutcome.Scored scored = assertInstanceOf(EvaluationOutcome.Scored.class, outcome);
        EvaluationOutcome.Scored read = assertInstanceOf(EvaluationOutcome.Scored.class,
                CandidateTask.readResult(folder.resolve(CandidateTask.RESULT)).orElseThrow());
        assertEquals(scored.scores(), read.scores());

        TaskRun run = TaskRun.of(Task.load(dir.resolve("tasks/words.yaml"), EventListener.NONE)).onSplit("train")
                .withDocs(List.of(0, 2, 4));
        try (InferenceEngine engine = InferenceEngine.cpu(1);
                MergeModels models = new MergeModels(new ModelResolver(dir, Map.of()), Architectures.builtIn());
                InMemoryMerger merger = new InMemoryMerger(models, engine, new MergeExecutor.Options(7, 1, 1L << 28),
                        4, 0, EventListener.NONE);
                InProcessLanguageModel lm = merger.open("here", MergeConfigFile.parse(RECIPE,
                        dir.resolve("r.yml"), EventListener.NONE).config())) {
            EvaluationOutcome here = new InProcessEvaluator(engine, List.of(run), 4,
                    EvaluationOptions.defaults(EventListener.NONE)).evaluate(new Candidate.InMemory("here", lm));
            assertEquals(((EvaluationOutcome.Scored) here).scores(), scored.scores());
        }
    }

    @Test
    void command_mergedToDiskRunAndRemoved() throws IOException {
        Path script = dir.resolve("fake-lm-eval.sh");
        Files.writeString(script, """
                test -f "$1/model.safetensors" && test -f "$1/config.json" || exit 3
                mkdir -p "$2"
                printf '{"results": {"words": {"perplexity,none": 3.5}}}' > "$2/results.json"
                """);
        Path folder = folder("c1", RECIPE, Optional.of("sh " + script + " {model_dir} {output}"));
        EvaluationOutcome outcome = CandidateTask.run(folder, 1, Map.of(), EventListener.NONE);
        EvaluationOutcome.Scored scored = assertInstanceOf(EvaluationOutcome.Scored.class, outcome, outcome::toString);
        assertEquals(Optional.of(3.5), scored.scores().get("words", "perplexity,none"));
        assertFalse(Files.exists(folder.resolve("model")));
    }

    @Test
    void recipeThatCannotMerge_isAResultWithItsReason() throws IOException {
        String recipe = RECIPE.replace("- model: models/b\n", "- model: models/missing\n");
        Path folder = folder("c2", recipe, Optional.empty());
        EvaluationOutcome outcome = CandidateTask.run(folder, 1, Map.of("HF_HUB_OFFLINE", "1"), EventListener.NONE);
        EvaluationOutcome.Failed failed = assertInstanceOf(EvaluationOutcome.Failed.class, outcome);
        assertTrue(failed.reason().startsWith(folder.resolve("recipe.yml") + ":6:12 (models[1].model): model"
                + " 'models/missing' not found: not a local directory ("
                + dir.resolve("models/missing") + "), and as a Hub id: model 'models/missing@main' is not in the"
                + " Hugging Face cache"), failed.reason());
        assertEquals(failed.reason(), ((EvaluationOutcome.Failed) CandidateTask.readResult(
                folder.resolve(CandidateTask.RESULT)).orElseThrow()).reason());
    }
}
