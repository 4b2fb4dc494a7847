package dev.evomerge.infer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.evomerge.diag.InputException;
import dev.evomerge.model.SyntheticModel;
import dev.evomerge.tensor.DType;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InferenceEngineTest {

    @TempDir
    Path tmp;

    @Test
    void load_syntheticModelDirectoryOfEachFamily_runsWithItsTokenizer() {
        try (InferenceEngine engine = InferenceEngine.cpu(1)) {
            for (String family : SyntheticModel.FAMILIES) {
                Path dir = tmp.resolve(family);
                new SyntheticModel(family, 2, 16, 32, 40, 4, 2, DType.BF16, 3).write(dir, false);
                try (LoadedModel model = engine.load(dir); Tokenizer tokenizer = Tokenizer.load(dir)) {
                    assertEquals(family, model.config().family());
                    CausalLm lm = CausalLm.of(model);
                    int[] prompt = tokenizer.encode("abc");
                    assertTrue(prompt.length > 0, family);
                    Generation g = lm.generate(List.of(prompt), GenerationOptions.greedy(3), 1).getFirst();
                    assertEquals(3, g.tokens().length, family);
                    for (float v : lm.logits(prompt)[0]) {
                        assertTrue(Float.isFinite(v), family);
                    }
                }
            }
        }
    }

    @Test
    void load_directoryWithoutConfig_namesTheFile() {
        try (InferenceEngine engine = InferenceEngine.cpu(1)) {
            var e = assertThrows(InputException.class, () -> engine.load(tmp));
            assertTrue(e.userMessage().startsWith(tmp.resolve("config.json") + ": file not found"), e.userMessage());
        }
    }

    @Test
    void cpu_noThreads_refused() {
        assertThrows(IllegalArgumentException.class, () -> InferenceEngine.cpu(0));
    }
}
