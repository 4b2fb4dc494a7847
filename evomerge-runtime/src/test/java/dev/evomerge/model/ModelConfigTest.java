package dev.evomerge.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.evomerge.diag.InputException;
import dev.evomerge.tensor.DType;
import java.util.Optional;
import java.util.OptionalInt;
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

    @Test
    void accessors_extendedSettings_readFromTree() throws IOException {
        ModelConfig c = read("""
                {"max_position_embeddings": 128, "eos_token_id": [2, 7], "bos_token_id": 1, "sliding_window": null,
                 "rope_scaling": {"rope_type": "linear", "factor": 2.0}, "torch_dtype": "bfloat16",
                 "hidden_act": "gelu_pytorch_tanh", "head_dim": 8, "hidden_size": 32, "num_attention_heads": 2}""");
        assertEquals(OptionalInt.of(128), c.maxPositionEmbeddings());
        assertEquals(List.of(2, 7), c.eosTokenIds());
        assertEquals(OptionalInt.of(1), c.bosTokenId());
        assertEquals(OptionalInt.empty(), c.slidingWindow(), "null counts as absent");
        assertEquals(2.0, c.ropeScaling().orElseThrow().get("factor").doubleValue());
        assertEquals(Optional.of(DType.BF16), c.dtype());
        assertEquals("gelu_pytorch_tanh", c.hiddenAct());
        assertEquals(8, c.headDim(), "explicit head_dim wins over hidden/heads");
        assertEquals(10000.0, c.ropeTheta(), "transformers' default");
    }

    @Test
    void ropeScaling_transformers5Parameters_onlyWhenNotDefault() throws IOException {
        assertEquals(Optional.empty(), read("""
                {"rope_parameters": {"rope_type": "default", "rope_theta": 500000.0}}""").ropeScaling());
        ModelConfig yarn = read("""
                {"rope_parameters": {"rope_type": "yarn", "factor": 4.0, "rope_theta": 500000.0}}""");
        assertEquals("yarn", yarn.ropeScaling().orElseThrow().get("rope_type").asText());
        assertEquals(500000.0, yarn.ropeTheta());
    }

    @Test
    void withTorchDtype_transformers5DtypeKey_setsDtypeOnly() throws IOException {
        ModelConfig v5 = read("{\"dtype\": \"float32\"}").withDtype(DType.F16);
        assertEquals("{\n  \"dtype\": \"float16\"\n}\n", new String(v5.toBytes(), StandardCharsets.UTF_8));
        ModelConfig none = read("{}").withDtype(DType.BF16);
        assertEquals(Optional.of("bfloat16"), none.string("torch_dtype"));
    }

    @Test
    void withLayerCount_nestedKey_originalUnchanged() throws IOException {
        ModelConfig c = read("{\"text_config\": {\"num_hidden_layers\": 4}}");
        ModelConfig d = c.withLayerCount("text_config.num_hidden_layers", 6).withVocabSize(99);
        assertEquals(4, c.layerCount("text_config.num_hidden_layers"));
        assertEquals(6, d.layerCount("text_config.num_hidden_layers"));
        assertEquals(99, d.vocabSize());
    }

    @Test
    void get_returnedNode_cannotChangeConfig() throws IOException {
        ModelConfig c = read("{\"nested\": {\"a\": 1}}");
        ((ObjectNode) c.get("nested").orElseThrow()).put("a", 2);
        assertEquals(1, c.requireInt("nested.a"));
    }

    @Test
    void write_thenRead_sameConfigAndBytes() throws IOException {
        ModelConfig c = read(LLAMA);
        Path out = tmp.resolve("out.json");
        c.write(out);
        assertEquals(c, ModelConfig.read(out));
        assertEquals(new String(c.toBytes(), StandardCharsets.UTF_8), Files.readString(out));
        assertTrue(Files.readString(out).endsWith("}\n"));
    }
}
