package dev.evomerge.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.evomerge.event.EventListener;
import dev.evomerge.infer.CausalLm;
import dev.evomerge.infer.GenerationOptions;
import dev.evomerge.infer.InferenceEngine;
import dev.evomerge.infer.LoadedModel;
import dev.evomerge.infer.Tokenizer;
import dev.evomerge.model.ModelConfig;
import dev.evomerge.tensor.DType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainerTest {

    private static final List<TrainingData.Example> EXAMPLES = List.of(
            new TrainingData.Example("one plus one is", "two"),
            new TrainingData.Example("two plus one is", "three"),
            new TrainingData.Example("one plus two is", "three"),
            new TrainingData.Example("two plus two is", "four"));

    @Test
    void train_freshModel_learnsItsExamplesAndWritesACheckpointTheForwardReads(@TempDir Path dir) throws IOException {
        Trainer.Start fresh = new Trainer.Start.Fresh(2, 32, 64, 4, 2,
                List.of("one", "two", "three", "four", "plus", "is"));
        Trainer.Settings settings = new Trainer.Settings(fresh,
                List.of(new TrainingData(dir.resolve("data.jsonl"), 1, EXAMPLES)), 150, 8, 1e-2, 10, 3, 1,
                DType.F32);
        Path out = dir.resolve("model");

        Trainer.Result result = Trainer.train(settings, out, false, EventListener.NONE);

        assertTrue(result.firstLoss() > 1.0, "a fresh model starts near log(vocab): " + result.firstLoss());
        assertTrue(result.lastLoss() < 0.05, "the examples are learnt: " + result.lastLoss());
        ModelConfig config = ModelConfig.read(out.resolve("config.json"));
        assertEquals(9, config.vocabSize());
        assertEquals("float32", config.torchDtype().orElseThrow());
        assertTrue(Files.readString(out.resolve("tokenizer.json")).contains("\"WordLevel\""));
        try (InferenceEngine engine = InferenceEngine.cpu(1);
                LoadedModel model = engine.load(out);
                Tokenizer tokenizer = Tokenizer.load(out)) {
            CausalLm lm = CausalLm.of(model);
            for (TrainingData.Example e : EXAMPLES) {
                int[] generated = lm.generate(List.of(tokenizer.encode(e.prompt())),
                        GenerationOptions.greedy(3).withStopTokens(Set.of(2)), 1).getFirst().tokens();
                assertEquals(e.completion(), tokenizer.decode(generated), e.prompt());
            }
        }
    }

    @Test
    void train_sameSettings_sameWeights(@TempDir Path dir) throws IOException {
        Trainer.Start fresh = new Trainer.Start.Fresh(1, 16, 32, 2, 1,
                List.of("one", "two", "three", "four", "plus", "is"));
        Trainer.Settings settings = new Trainer.Settings(fresh,
                List.of(new TrainingData(dir.resolve("data.jsonl"), 1, EXAMPLES)), 5, 4, 1e-2, 2, 7, 1, DType.BF16);

        Trainer.train(settings, dir.resolve("a"), false, EventListener.NONE);
        Trainer.train(settings, dir.resolve("b"), false, EventListener.NONE);
        Trainer.train(new Trainer.Settings(new Trainer.Start.From(dir.resolve("a")), settings.data(), 5, 4, 1e-2, 2,
                7, 1, DType.BF16), dir.resolve("c"), false, EventListener.NONE);

        byte[] a = Files.readAllBytes(dir.resolve("a/model.safetensors"));
        assertArrayEquals(a, Files.readAllBytes(dir.resolve("b/model.safetensors")));
        assertTrue(!java.util.Arrays.equals(a, Files.readAllBytes(dir.resolve("c/model.safetensors"))),
                "fine-tuning from a changes the weights");
    }
}
