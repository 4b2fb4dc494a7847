package dev.evomerge.fuzz;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The fuzz targets of {@link OutsideInputFuzzTest} on a fixed, seeded budget in every build: each target gets its
 * valid seed inputs and {@value #MUTANTS} mutants of them (bytes flipped, inserted, deleted, duplicated, spliced
 * with YAML/JSON/Jinja tokens), all held to the same contract, with a time limit per target. Deterministic: the
 * same inputs every run. Jazzer's coverage-guided fuzzing of the same targets runs on demand (docs/reliability.md).
 */
class OutsideInputMutationTest {

    /** Mutants per target; the whole class stays within a few seconds of CPU. */
    static final int MUTANTS = 400;

    private static final String[] TOKENS = {"{", "}", "[", "]", ":", ",", "\"", "'", "*a", "&a ", "!!python/object",
        "<<: ", "\n- ", "\n  ", "{{", "}}", "{%", "%}", "{#", "#}", "for x in ", "endfor", "if ", "null", "-1",
        "1e999", "NaN", "99999999999999999999", "\u0000", "\uFFFF", "\\u0000", "../../", "data_offsets", "dtype",
        "shape", "F32", "BF16", "weight_map", "num_hidden_layers", "hidden_size", "task", "doc_to_text", "models",
        "merge_method", "slices", "layer_range", "genome", "search", "tasks"};

    static Map<String, List<byte[]>> seeds() {
        return Map.of(
                "safetensorsFile", List.of(safetensors("{\"w\":{\"dtype\":\"F32\",\"shape\":[2,2],"
                        + "\"data_offsets\":[0,16]},\"__metadata__\":{\"format\":\"pt\"}}", 16)),
                "shardIndex", List.of(utf8("{\"metadata\":{\"total_size\":16},\"weight_map\":"
                        + "{\"w\":\"model-00001-of-00001.safetensors\"}}")),
                "modelConfigJson", List.of(utf8("{\"architectures\":[\"LlamaForCausalLM\"],\"model_type\":\"llama\","
                        + "\"hidden_size\":32,\"num_hidden_layers\":2,\"num_attention_heads\":4,"
                        + "\"vocab_size\":64,\"tie_word_embeddings\":false}")),
                "mergeYaml", List.of(utf8("""
                        merge_method: ties
                        base_model: base
                        models:
                          - model: a
                            parameters: {weight: [0.2, 0.8], density: 0.5}
                          - model: b
                            parameters: &p {weight: 0.5}
                        parameters: {normalize: true}
                        dtype: bfloat16
                        tokenizer_source: base
                        """), utf8("""
                        slices:
                          - sources:
                              - model: a
                                layer_range: [0, 2]
                        merge_method: passthrough
                        """)),
                "evolveYaml", List.of(utf8("""
                        genome:
                          models: [a, b]
                          base_model: base
                          merge_method: ties
                        search: {optimizer: cmaes, population: 4, budget: {generations: 2}, seed: 1}
                        tasks:
                          - file: task.yaml
                            metric: acc,none
                        """)),
                "taskYaml", List.of(utf8("""
                        task: t
                        dataset_path: json
                        dataset_kwargs: {data_files: {test: test.jsonl}}
                        test_split: test
                        output_type: multiple_choice
                        doc_to_text: "Q: {{q}}\\nA:"
                        doc_to_target: 0
                        doc_to_choice: ["{{a}}", "no"]
                        metric_list: [{metric: acc}]
                        """)),
                "jinjaTemplate", List.of(utf8("{% for c in choices %}{{ loop.index }}. {{ c | upper }}\n{% endfor %}"
                        + "{{ q.split('+') | join(' plus ') }}{% if n > 2 %} many{% endif %}")),
                "jsonlData", List.of(utf8("{\"q\": \"2+2\", \"a\": 4}\n{\"q\": \"x\", \"a\": [1, {\"b\": null}]}\n")),
                "csvData", List.of(utf8("q,a\n\"2,2\",4\n\"multi\nline\",\"\"\"quoted\"\"\"\n")));
    }

    @TestFactory
    Stream<DynamicTest> everyTarget_seedsAndMutants_userErrorOrSuccess() {
        Map<String, List<byte[]>> seeds = seeds();
        return OutsideInputFuzzTest.TARGETS.entrySet().stream().map(t -> DynamicTest.dynamicTest(t.getKey(), () -> {
            List<byte[]> inputs = new ArrayList<>(seeds.get(t.getKey()));
            SplittableRandom random = new SplittableRandom(t.getKey().hashCode());
            for (int i = 0; i < MUTANTS; i++) {
                inputs.add(mutate(inputs.get(random.nextInt(Math.min(inputs.size(), 1 + i / 4))), random));
            }
            assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
                for (byte[] input : inputs) {
                    try {
                        t.getValue().accept(input);
                    } catch (AssertionError | RuntimeException e) {
                        throw new AssertionError(t.getKey() + " broke the contract on input "
                                + new String(input, StandardCharsets.UTF_8).replace("\n", "\\n"), e);
                    }
                }
            });
        }));
    }

    /** One to four random edits of {@code input}. */
    static byte[] mutate(byte[] input, SplittableRandom random) {
        List<Byte> b = new ArrayList<>(input.length + 16);
        for (byte x : input) {
            b.add(x);
        }
        int edits = 1 + random.nextInt(4);
        for (int e = 0; e < edits; e++) {
            int at = b.isEmpty() ? 0 : random.nextInt(b.size());
            switch (random.nextInt(6)) {
                case 0 -> {
                    if (!b.isEmpty()) {
                        b.set(at, (byte) random.nextInt(256));
                    }
                }
                case 1 -> b.add(at, (byte) random.nextInt(256));
                case 2 -> {
                    int n = Math.min(b.size() - at, 1 + random.nextInt(8));
                    for (int k = 0; k < n; k++) {
                        b.remove(at);
                    }
                }
                case 3 -> {
                    int n = Math.min(b.size() - at, 1 + random.nextInt(32));
                    b.addAll(at, new ArrayList<>(b.subList(at, at + n)));
                }
                case 4 -> {
                    byte[] token = TOKENS[random.nextInt(TOKENS.length)].getBytes(StandardCharsets.UTF_8);
                    for (int k = token.length - 1; k >= 0; k--) {
                        b.add(at, token[k]);
                    }
                }
                default -> {
                    while (b.size() > at) {
                        b.removeLast(); // truncation
                    }
                }
            }
        }
        byte[] out = new byte[b.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = b.get(i);
        }
        return out;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] safetensors(String header, int dataBytes) {
        byte[] h = utf8(header);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h);
        return b.array();
    }
}
