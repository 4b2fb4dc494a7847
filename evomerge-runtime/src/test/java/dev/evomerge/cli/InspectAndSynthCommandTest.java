package dev.evomerge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InspectAndSynthCommandTest {

    @TempDir
    Path tmp;

    private final CapturedCli cli = new CapturedCli();

    private int run(String... args) {
        return cli.run(args);
    }

    @Test
    void synthThenInspect_tinyQwen2_reportsArchitectureLayersAndParameters() {
        Path m = tmp.resolve("m");
        assertEquals(0, run("synth", m.toString(), "--family", "qwen2", "--layers", "3", "--hidden", "32",
                "--intermediate", "48", "--vocab", "64", "--heads", "4", "--kv-heads", "2", "--dtype", "f16",
                "--seed", "1"), cli.err());
        assertEquals(0, run("inspect", m.toString()), cli.err());
        String text = cli.out();
        assertTrue(text.contains("architecture: qwen2 (Qwen2ForCausalLM; model_type qwen2)"), text);
        assertTrue(text.contains("layers:       3\n"), text);
        assertTrue(text.contains("dtypes:       F16 (39 tensors)"), text);
        // embed 64*32*2 + norm 32 + per layer (2*32 + 32*32 + 2*16*32 + 32*32 + 32 + 2*16 + 3*32*48)
        long perLayer = 2 * 32 + 32 * 32 + 2 * 16 * 32 + 32 * 32 + 32 + 2 * 16 + 3 * 32 * 48;
        long total = 2 * 64 * 32 + 32 + 3 * perLayer;
        assertTrue(text.contains(String.format("parameters:   %,d (", total)), text);
        assertTrue(text.contains("model.layers.2.self_attn.k_proj.bias"), text);
        assertTrue(text.contains("tokenizer:    tokenizer_config.json, tokenizer.json"), text);
    }

    @Test
    void synth_missingShapeOption_userErrorExitTwo() {
        assertEquals(2, run("synth", tmp.resolve("x").toString(), "--layers", "2"));
        assertEquals("error: missing --hidden (or give --base)", cli.err().lines().findFirst().orElseThrow());
        assertTrue(Files.notExists(tmp.resolve("x")));
    }

    @Test
    void inspect_pickleOnlyDirectory_refusedWithConversionAdvice() throws Exception {
        Path m = Files.createDirectories(tmp.resolve("pickle"));
        Files.writeString(m.resolve("config.json"), "{\"architectures\": [\"LlamaForCausalLM\"],"
                + " \"model_type\": \"llama\", \"num_hidden_layers\": 1}");
        Files.write(m.resolve("pytorch_model.bin"), new byte[] {(byte) 0x80, 2, 'c'});
        assertEquals(2, run("inspect", m.toString()));
        String line = cli.err().strip();
        assertTrue(line.startsWith("error: " + m + ": holds only pickle checkpoints (pytorch_model*.bin)"), line);
        assertTrue(line.contains("convert the model to safetensors"), line);
        assertEquals(1, cli.err().lines().count(), "one line, no stack trace");
    }

    @Test
    void inspect_missingModel_oneErrorLine() {
        assertEquals(2, run("inspect", tmp.resolve("absent").toString()));
        assertEquals("error: model '" + tmp.resolve("absent") + "' not found: not a local directory ("
                + tmp.resolve("absent") + "); check the path", cli.err().strip());
    }
}
