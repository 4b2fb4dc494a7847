package dev.evomerge.eval.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.evomerge.diag.ConfigException;
import dev.evomerge.event.EventListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A task file whose templates Jinja cannot compile is refused when it is read, naming the file, key and error. */
class TaskTemplateSyntaxTest {

    @TempDir
    Path dir;

    private Path task(String key, String template) throws IOException {
        Files.writeString(dir.resolve("test.jsonl"), "{\"q\": \"2+2\", \"a\": \"4\"}\n");
        String text = """
                task: t
                dataset_path: json
                dataset_kwargs: {data_files: {test: test.jsonl}}
                test_split: test
                output_type: generate_until
                doc_to_text: "{{q}}"
                doc_to_target: "{{a}}"
                """.replace(key.equals("doc_to_text") ? "doc_to_text: \"{{q}}\"" : "doc_to_target: \"{{a}}\"",
                key + ": '" + template + "'");
        return Files.writeString(dir.resolve("task.yaml"), text);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "doc_to_text|{{ context |line 1: Unclosed token",
        "doc_to_text|Q: {% for x in %}{{x}}{% endfor %}|line 1: ",
        "doc_to_target|{{a}} {% endif %}|line 1: Missing start tag",
        "doc_to_text|{% for x in q %}{{x}}|line 1: ",
        "doc_to_text|{% frobnicate %}|line 1: "})
    void read_malformedTemplate_refusedWithFileKeyAndJinjaMessage(String key, String template, String message)
            throws IOException {
        Path file = task(key, template);
        var e = assertThrows(ConfigException.class, () -> TaskFileReader.read(file, EventListener.NONE));
        String expected = file + ":" + (key.equals("doc_to_text") ? 6 : 7) + ":" + (key.length() + 3) + " ("
                + key + "): " + key + " is not a valid Jinja template: " + message;
        assertEquals(expected, e.userMessage().substring(0, Math.min(e.userMessage().length(), expected.length())),
                e.userMessage());
        assertEquals(1, e.userMessage().lines().count());
    }

    @Test
    void read_validTemplatesWithUnknownNamesAndBranches_accepted() throws IOException {
        Path file = task("doc_to_text", "{% if q %}Q: {{ q | trim }}{% else %}{{ other[0] }}{% endif %}");
        assertEquals("t", TaskFileReader.read(file, EventListener.NONE).name());
    }
}
