package dev.evomerge.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.evomerge.diag.InputException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelConfigTest {

    @TempDir
    Path tmp;

    private static final String LLAMA = """
            {
              "architectures": [
                "LlamaForCausalLM"
              ],
              "zz_custom": {
                "keep": [1, 2]
              },
              "hidden_size": 32,
              "intermediate_size": 48,
              "model_type": "llama",
              "num_attention_heads": 16,
              "num_hidden_layers": 2,
              "rms_norm_eps": 1e-06,
              "rope_theta": 10000.0,
              "torch_dtype": "float32",
              "vocab_size": 64
            }
            """;

    private ModelConfig read(String json) throws IOException {
        Path f = tmp.resolve("config.json");
        Files.writeString(f, json);
        return ModelConfig.read(f);
    }

    @Test
    void accessors_llamaConfig_typedValuesAndDefaults() throws IOException {
        ModelConfig c = read(LLAMA);
        assertEquals(List.of("LlamaForCausalLM"), c.architectures());
        assertEquals(32, c.hiddenSize());
        assertEquals(16, c.numKeyValueHeads(), "defaults to the attention heads");
        assertEquals(2, c.headDim());
        assertEquals(1e-6, c.rmsNormEps());
        assertEquals(false, c.tieWordEmbeddings(false));
    }

    @Test
    void toBytes_afterChange_keepsUnknownFieldsAndOrderInTransformersLayout() throws IOException {
        ModelConfig c = read(LLAMA).with("num_hidden_layers", 3).withTorchDtype("bfloat16");
        assertEquals("""
                {
                  "architectures": [
                    "LlamaForCausalLM"
                  ],
                  "zz_custom": {
                    "keep": [
                      1,
                      2
                    ]
                  },
                  "hidden_size": 32,
                  "intermediate_size": 48,
                  "model_type": "llama",
                  "num_attention_heads": 16,
                  "num_hidden_layers": 3,
                  "rms_norm_eps": 1e-06,
                  "rope_theta": 10000.0,
                  "torch_dtype": "bfloat16",
                  "vocab_size": 64
                }
                """, new String(c.toBytes(), StandardCharsets.UTF_8));
    }

    @Test
    void with_dottedPath_createsNestedObjects() throws IOException {
        ModelConfig c = read("{\"text_config\": {\"a\": 1}}").with("text_config.num_hidden_layers", 7);
        assertEquals(7, c.requireInt("text_config.num_hidden_layers"));
        assertEquals(1, c.requireInt("text_config.a"));
    }

    @Test
    void read_malformed_errorNamesFile() throws IOException {
        var e = assertThrows(InputException.class, () -> read("{\"a\": 1,"));
        assertEquals(tmp.resolve("config.json") + ": not valid JSON",
                e.userMessage().substring(0, e.userMessage().indexOf("JSON") + 4));
        var missing = assertThrows(InputException.class, () -> ModelConfig.read(tmp.resolve("nope.json")));
        assertEquals(tmp.resolve("nope.json") + ": file not found; a model directory needs its config.json",
                missing.userMessage());
        var noKey = assertThrows(InputException.class, () -> read("{}").hiddenSize());
        assertEquals(tmp.resolve("config.json") + ": has no integer 'hidden_size'; check that this is a transformers"
                + " model config", noKey.userMessage());
    }
}
