package dev.evomerge.fuzz;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.evomerge.config.MergeConfigFile;
import dev.evomerge.diag.EvomergeException;
import dev.evomerge.eval.data.Records;
import dev.evomerge.eval.task.TaskFileReader;
import dev.evomerge.eval.template.TemplateEngine;
import dev.evomerge.eval.template.TemplateException;
import dev.evomerge.event.EventListener;
import dev.evomerge.model.ModelConfig;
import dev.evomerge.search.evolve.EvolveConfigReader;
import dev.evomerge.tensor.io.SafetensorsModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Fuzz tests of every parser that reads outside input, holding each to the user-error contract: a malformed input
 * ends in an {@link EvomergeException} whose message is one line, or it is accepted — never another exception, a
 * hang or a memory blow-up (Jazzer reports those as findings).
 *
 * <p>Without {@code JAZZER_FUZZ} (every build) each test runs once per stored input under
 * {@code src/test/resources/dev/evomerge/fuzz/OutsideInputFuzzTestInputs/METHOD/}: the seeds and every finding kept
 * as a regression input. With {@code JAZZER_FUZZ=1} Jazzer mutates the inputs for {@code maxDuration}; see
 * docs/reliability.md for the CI budget and how to fuzz longer.
 */
class OutsideInputFuzzTest {

    /** The targets by name, for {@link OutsideInputMutationTest}. */
    static final Map<String, java.util.function.Consumer<byte[]>> TARGETS = targets();


    private static final Path DIR = scratch();
    private static final TemplateEngine TEMPLATES = TemplateEngine.forTasks();

    private static Path scratch() {
        try {
            Path d = Files.createTempDirectory("evomerge-fuzz");
            d.toFile().deleteOnExit();
            return d;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, java.util.function.Consumer<byte[]>> targets() {
        Map<String, java.util.function.Consumer<byte[]>> t = new java.util.LinkedHashMap<>();
        t.put("safetensorsFile", OutsideInputFuzzTest::safetensorsFileTarget);
        t.put("shardIndex", OutsideInputFuzzTest::shardIndexTarget);
        t.put("modelConfigJson", OutsideInputFuzzTest::modelConfigJsonTarget);
        t.put("mergeYaml", OutsideInputFuzzTest::mergeYamlTarget);
        t.put("evolveYaml", OutsideInputFuzzTest::evolveYamlTarget);
        t.put("taskYaml", OutsideInputFuzzTest::taskYamlTarget);
        t.put("jinjaTemplate", OutsideInputFuzzTest::jinjaTemplateTarget);
        t.put("jsonlData", OutsideInputFuzzTest::jsonlDataTarget);
        t.put("csvData", OutsideInputFuzzTest::csvDataTarget);
        return t;
    }

    /** The contract: success, or a user error of one line that reads as a sentence. */
    private static void userErrorOrSuccess(Runnable parse) {
        try {
            parse.run();
        } catch (EvomergeException e) {
            String m = e.userMessage();
            assertFalse(m.contains("\n") || m.contains("\r"), () -> "a user error of several lines: " + m);
            assertFalse(m.isBlank(), "an empty user error");
            assertFalse(m.startsWith("Error: "), m);
        }
    }

    private static Path write(String name, byte[] bytes) {
        try {
            Path f = DIR.resolve(name);
            Files.createDirectories(f.getParent());
            Files.write(f, bytes);
            return f;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @FuzzTest(maxDuration = "4s")
    void safetensorsFile(byte[] data) {
        safetensorsFileTarget(data);
    }

    static void safetensorsFileTarget(byte[] data) {
        Path f = write("st/model.safetensors", data);
        userErrorOrSuccess(() -> {
            try (SafetensorsModel m = SafetensorsModel.open(f)) {
                for (String name : m.names()) {
                    m.bytes(name);
                }
            }
        });
    }

    @FuzzTest(maxDuration = "4s")
    void shardIndex(byte[] data) {
        shardIndexTarget(data);
    }

    static void shardIndexTarget(byte[] data) {
        Path dir = DIR.resolve("index");
        write("index/model.safetensors.index.json", data);
        userErrorOrSuccess(() -> {
            try (SafetensorsModel m = SafetensorsModel.open(dir)) {
                m.names().forEach(m::fileOf);
            }
        });
    }

    @FuzzTest(maxDuration = "4s")
    void modelConfigJson(byte[] data) {
        modelConfigJsonTarget(data);
    }

    static void modelConfigJsonTarget(byte[] data) {
        Path f = write("config/config.json", data);
        userErrorOrSuccess(() -> {
            ModelConfig c = ModelConfig.read(f);
            c.integer("num_hidden_layers");
        });
    }

    @FuzzTest(maxDuration = "4s")
    void mergeYaml(byte[] data) {
        mergeYamlTarget(data);
    }

    static void mergeYamlTarget(byte[] data) {
        String text = new String(data, StandardCharsets.UTF_8);
        userErrorOrSuccess(() -> MergeConfigFile.parse(text, DIR.resolve("merge.yml"), EventListener.NONE));
    }

    @FuzzTest(maxDuration = "4s")
    void evolveYaml(byte[] data) {
        evolveYamlTarget(data);
    }

    static void evolveYamlTarget(byte[] data) {
        String text = new String(data, StandardCharsets.UTF_8);
        userErrorOrSuccess(() -> EvolveConfigReader.parse(text, DIR.resolve("evolve.yml"), EventListener.NONE));
    }

    @FuzzTest(maxDuration = "4s")
    void taskYaml(byte[] data) {
        taskYamlTarget(data);
    }

    static void taskYamlTarget(byte[] data) {
        write("task/test.jsonl", "{\"q\": \"a\", \"a\": \"b\"}\n".getBytes(StandardCharsets.UTF_8));
        Path f = write("task/task.yaml", data);
        userErrorOrSuccess(() -> TaskFileReader.read(f, EventListener.NONE));
    }

    @FuzzTest(maxDuration = "4s")
    void jinjaTemplate(byte[] data) {
        jinjaTemplateTarget(data);
    }

    static void jinjaTemplateTarget(byte[] data) {
        String template = new String(data, StandardCharsets.UTF_8);
        TEMPLATES.syntaxError(template);
        try {
            TEMPLATES.render(template, Map.of("q", "2+2", "choices", java.util.List.of("a", "b"), "n", 3));
        } catch (TemplateException expected) {
            assertTrue(expected.getMessage() != null);
        }
    }

    @FuzzTest(maxDuration = "4s")
    void jsonlData(byte[] data) {
        jsonlDataTarget(data);
    }

    static void jsonlDataTarget(byte[] data) {
        Path f = write("data/test.jsonl", data);
        userErrorOrSuccess(() -> Records.read(f));
    }

    @FuzzTest(maxDuration = "4s")
    void csvData(byte[] data) {
        csvDataTarget(data);
    }

    static void csvDataTarget(byte[] data) {
        Path f = write("data/test.csv", data);
        userErrorOrSuccess(() -> Records.read(f));
    }
}
