package dev.evomerge.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.evomerge.config.ParameterSetting.Conditional.Entry;
import dev.evomerge.event.EventListener;
import dev.evomerge.model.ModelReference;
import dev.evomerge.tensor.DType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Round trips through {@link MergeConfigWriter}. The committed {@code X.written.yml} files are what the writer
 * produces for {@code X.yml}; {@code src/test/reference/config/check_written.py} checked with mergekit that each
 * reads to the same {@code model_dump()} as its original (result in {@code mergekit-check.txt}). Each run also
 * writes its output to {@code target/config-roundtrip/} so changed output can be reviewed and copied over.
 */
class MergeConfigWriterTest {

    private static final Path FIXTURES = Path.of("src/test/resources/config/roundtrip");
    private static final Path ACTUAL = Path.of("target/config-roundtrip");

    private static MergeConfig parse(String text, String name) {
        return MergeConfigFile.parse(text, Path.of(name), EventListener.NONE).config();
    }

    @ParameterizedTest
    @ValueSource(strings = {"linear-models", "ties-gradients", "slerp-filters", "passthrough-stack",
            "slices-per-slice", "model-references", "module-default", "numbers"})
    void write_fixture_matchesCommittedOutputAndReadsBackEqual(String name) throws IOException {
        MergeConfig original = MergeConfigFile.read(FIXTURES.resolve(name + ".yml"), EventListener.NONE).config();
        String written = MergeConfigWriter.write(original);
        Files.createDirectories(ACTUAL);
        Files.writeString(ACTUAL.resolve(name + ".written.yml"), written, StandardCharsets.UTF_8);

        assertEquals(Files.readString(FIXTURES.resolve(name + ".written.yml")), written);
        MergeConfig reread = parse(written, name + ".written.yml");
        assertEquals(original, reread);
        assertEquals(written, MergeConfigWriter.write(reread), "writing is stable");
    }

    @Test
    void mergekitCheck_committedResult_allSame() throws IOException {
        List<String> lines = Files.readAllLines(FIXTURES.resolve("mergekit-check.txt"));
        assertEquals(8, lines.size(), String.join("\n", lines));
        for (String line : lines) {
            assertTrue(line.contains(": same model_dump() as "), line);
        }
    }

    @Test
    void write_generatedPassthroughStack_readableFixedLayout() {
        ModelSpec a = ModelSpec.of("org/a");
        ModelSpec b = ModelSpec.of("org/b");
        ParameterSetting scale = ParameterSetting.conditional(Entry.of("o_proj", ParameterSetting.scalar(0.5)),
                Entry.of("down_proj", ParameterSetting.gradient(0.25, 1)), Entry.always(ParameterSetting.scalar(1)));
        MergeConfig config = MergeConfig.of("passthrough", MergeInputs.Slices.of(List.of(
                OutputSlice.of(List.of(InputSlice.of(a, 0, 4))),
                OutputSlice.of(List.of(InputSlice.of(b, 2, 4, Parameters.of("scale", scale)))))))
                .withDtype(DTypeSetting.of(DType.BF16));
        String expected = """
                merge_method: passthrough
                slices:
                  - sources:
                      - model: org/a
                        layer_range: [0, 4]
                  - sources:
                      - model: org/b
                        layer_range: [2, 4]
                        parameters:
                          scale:
                            - filter: o_proj
                              value: 0.5
                            - filter: down_proj
                              value: [0.25, 1.0]
                            - value: 1.0
                dtype: bfloat16
                """;
        assertEquals(expected, MergeConfigWriter.write(config));
        assertEquals(config, parse(expected, "generated.yml"));
    }

    @Test
    void write_generatedModelsConfig_keyOrderFixed() {
        MergeConfig config = MergeConfig.of("ties", MergeInputs.Models.of(List.of(
                        ModelDefinition.of(ModelSpec.of("org/a"), Parameters.of("weight",
                                ParameterSetting.gradient(0.1, 0.2, 1e-5))),
                        ModelDefinition.of(ModelSpec.of("org/b"), Parameters.NONE))))
                .withChatTemplate(ChatTemplate.of("llama3"))
                .withParameters(Parameters.of("normalize", ParameterSetting.scalar(1)))
                .withBaseModel(ModelSpec.of("org/base"))
                .withOutDtype(DTypeSetting.of(DType.F16));
        assertEquals("""
                merge_method: ties
                base_model: org/base
                models:
                  - model: org/a
                    parameters:
                      weight: [0.1, 0.2, 1.0e-05]
                  - model: org/b
                parameters:
                  normalize: 1.0
                out_dtype: float16
                chat_template: llama3
                """, MergeConfigWriter.write(config));
    }

    @Test
    void write_modelNeedingMappingForm_readsBackEqual() {
        ModelSpec odd = new ModelSpec(new ModelReference("dir+x@y", "rev", ModelReference.of("l@ra")), "LlamaForCausalLM",
                MergeConfig.GENERATED);
        MergeConfig config = MergeConfig.of("linear", MergeInputs.Models.of(List.of(
                ModelDefinition.of(odd, Parameters.of("weight", ParameterSetting.scalar(1))))));
        String text = MergeConfigWriter.write(config);
        assertEquals("""
                merge_method: linear
                models:
                  - model:
                      model:
                        path: dir+x@y
                        revision: rev
                      lora:
                        path: l@ra
                      override_architecture: LlamaForCausalLM
                    parameters:
                      weight: 1.0
                """, text);
        assertEquals(config, parse(text, "odd.yml"));
    }

    @Test
    void write_sliceExtras_keptInPlace() {
        OutputSlice slice = new OutputSlice(List.of(InputSlice.of(ModelSpec.of("a"), 0, 2)),
                Optional.of(ModelSpec.of("a")), OptionalDouble.of(0.5), Parameters.NONE, MergeConfig.GENERATED);
        MergeConfig config = MergeConfig.of("linear", MergeInputs.Slices.of(List.of(slice)))
                .withTokenizer(new TokenizerSetting(new TokenizerSetting.Base(), false, MergeConfig.GENERATED));
        String text = MergeConfigWriter.write(config);
        assertEquals("""
                merge_method: linear
                slices:
                  - sources:
                      - model: a
                        layer_range: [0, 2]
                    base_model: a
                    residual_weight: 0.5
                tokenizer:
                  source: base
                """, text);
        assertEquals(config, parse(text, "extras.yml"));
    }

    @Test
    void scalar_textThatYamlWouldRetype_quoted() {
        assertEquals("org/model-1.5", YamlEmitter.scalar("org/model-1.5"));
        assertEquals("'true'", YamlEmitter.scalar("true"));
        assertEquals("'null'", YamlEmitter.scalar("null"));
        assertEquals("'~'", YamlEmitter.scalar("~"));
        assertEquals("'0.5'", YamlEmitter.scalar("0.5"));
        assertEquals("'1:30'", YamlEmitter.scalar("1:30"));
        assertEquals("'2024-01-01'", YamlEmitter.scalar("2024-01-01"));
        assertEquals("'*'", YamlEmitter.scalar("*"));
        assertEquals("'it''s'", YamlEmitter.scalar("it's"));
        assertEquals("'-x'", YamlEmitter.scalar("-x"));
        assertEquals("''", YamlEmitter.scalar(""));
        assertEquals("\"a\\nb\\t\\\"c\\\"\\u0001\"", YamlEmitter.scalar("a\nb\t\"c\"\u0001"));
    }

    @Test
    void yamlFloat_pythonForms() {
        assertEquals("0.1", PythonNumbers.yamlFloat(0.1));
        assertEquals("1.0", PythonNumbers.yamlFloat(1));
        assertEquals("-0.0", PythonNumbers.yamlFloat(-0.0));
        assertEquals("1.0e-05", PythonNumbers.yamlFloat(1e-5));
        assertEquals("1.5e-05", PythonNumbers.yamlFloat(1.5e-5));
        assertEquals("0.0001", PythonNumbers.yamlFloat(1e-4));
        assertEquals("1.0e+16", PythonNumbers.yamlFloat(1e16));
        assertEquals("1234567890123456.0", PythonNumbers.yamlFloat(1234567890123456.0));
        assertEquals("0.30000000000000004", PythonNumbers.yamlFloat(0.1 + 0.2));
        assertEquals(".inf", PythonNumbers.yamlFloat(Double.POSITIVE_INFINITY));
        assertEquals("-.inf", PythonNumbers.yamlFloat(Double.NEGATIVE_INFINITY));
        assertEquals(".nan", PythonNumbers.yamlFloat(Double.NaN));
    }
}
