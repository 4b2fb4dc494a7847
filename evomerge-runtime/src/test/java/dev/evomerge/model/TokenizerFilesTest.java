package dev.evomerge.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenizerFilesTest {

    @TempDir
    Path tmp;

    @Test
    void copy_donorWithTokenizer_copiesListedFilesThatExist() throws IOException {
        Path donor = Files.createDirectories(tmp.resolve("donor"));
        for (String f : List.of("tokenizer_config.json", "tokenizer.json", "special_tokens_map.json",
                "generation_config.json", "config.json", "model.safetensors")) {
            Files.writeString(donor.resolve(f), f);
        }
        Path out = Files.createDirectories(tmp.resolve("out"));
        assertEquals(List.of("tokenizer_config.json", "special_tokens_map.json", "tokenizer.json",
                "generation_config.json"), TokenizerFiles.copy(donor, out));
        assertEquals("tokenizer.json", Files.readString(out.resolve("tokenizer.json")));
    }

    @Test
    void copy_donorWithoutTokenizerConfig_copiesNothing() throws IOException {
        Path donor = Files.createDirectories(tmp.resolve("donor"));
        Files.writeString(donor.resolve("tokenizer.json"), "{}");
        assertTrue(TokenizerFiles.copy(donor, Files.createDirectories(tmp.resolve("out"))).isEmpty());
    }
}
