package dev.evomerge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.evomerge.diag.ConfigException;
import dev.evomerge.event.EventListener;
import dev.evomerge.model.SyntheticModel;
import dev.evomerge.tensor.DType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tokenizer_source}: a model outside the merge is read for its tokenizer, as mergekit does; a missing one is refused. */
class TokenizerSourceTest {

    @TempDir
    static Path dir;

    private static final String CONFIG = """
            merge_method: linear
            models:
              - model: a
                parameters: {weight: 0.5}
              - model: b
                parameters: {weight: 0.5}
            dtype: float32
            tokenizer_source: %s
            """;

    @BeforeAll
    static void models() throws IOException {
        SyntheticModel shape = new SyntheticModel("llama", 1, 32, 64, 64, 4, 2, DType.F32, 1);
        shape.write(dir.resolve("a"), false);
        new SyntheticModel("llama", 1, 32, 64, 64, 4, 2, DType.F32, 2).write(dir.resolve("b"), false);
        new SyntheticModel("llama", 1, 32, 64, 64, 4, 2, DType.F32, 3).write(dir.resolve("outside"), false);
        // the same vocabulary, told apart by its tokenizer_config.json
        Path config = dir.resolve("outside").resolve("tokenizer_config.json");
        Files.writeString(config, Files.readString(config).replaceFirst("\\{", "{\"comment\": \"outside\", "));
        Files.createDirectories(dir.resolve("no-tokenizer"));
        Files.copy(dir.resolve("a").resolve("config.json"), dir.resolve("no-tokenizer").resolve("config.json"));
    }

    private static MergeResult merge(String source, String out) throws IOException {
        Path cfg = Files.writeString(dir.resolve(out + ".yml"), CONFIG.formatted(source));
        return Merge.standard().run(new MergeRequest(cfg, dir.resolve(out), 0, 1L << 30, 1, 1L << 30, false, dir,
                Map.of("HF_HUB_OFFLINE", "1")),
                EventListener.NONE);
    }

    @Test
    void modelOutsideTheMerge_itsTokenizerIsCopied() throws IOException {
        merge("outside", "out-outside");
        assertEquals(Files.readString(dir.resolve("outside").resolve("tokenizer_config.json")),
                Files.readString(dir.resolve("out-outside").resolve("tokenizer_config.json")));
    }

    @Test
    void missingModel_refusedAtTheKey() {
        var e = assertThrows(ConfigException.class, () -> merge("nowhere", "out-missing"));
        assertTrue(e.userMessage().startsWith(dir.resolve("out-missing.yml") + ":8:"), e.userMessage());
        assertTrue(e.userMessage().contains("tokenizer_source: model 'nowhere' not found"), e.userMessage());
        assertTrue(Files.notExists(dir.resolve("out-missing")));
    }

    @Test
    void modelWithoutTokenizer_refused() {
        var e = assertThrows(ConfigException.class, () -> merge("no-tokenizer", "out-none"));
        assertTrue(e.userMessage().contains("has no tokenizer"), e.userMessage());
    }
}
