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

    @Test
    void copy_sentencePieceDonor_tokenizerModelCounts() throws IOException {
        Path donor = Files.createDirectories(tmp.resolve("donor"));
        Files.writeString(donor.resolve("tokenizer_config.json"), "{}");
        Files.write(donor.resolve("tokenizer.model"), new byte[] {1, 2, 3});
        Path out = Files.createDirectories(tmp.resolve("out"));
        assertEquals(List.of("tokenizer_config.json", "tokenizer.model"), TokenizerFiles.copy(donor, out));
    }

    @Test
    void copyTagalong_listedFilesPresent_copied() throws IOException {
        Path donor = Files.createDirectories(tmp.resolve("donor"));
        Files.writeString(donor.resolve("preprocessor_config.json"), "{}");
        Path out = Files.createDirectories(tmp.resolve("out"));
        assertEquals(List.of("preprocessor_config.json"), TokenizerFiles.copyTagalong(donor, out,
                List.of("preprocessor_config.json", "processor_config.json")));
        assertTrue(Files.isRegularFile(out.resolve("preprocessor_config.json")));
    }
}
