package dev.evomerge.eval.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.evomerge.diag.InputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Local dataset files read as Hugging Face {@code datasets} reads them. */
class DataFilesTest {

    @TempDir
    Path dir;

    @Test
    void csv_quotedCommasNewlinesAndDoubledQuotes_typedColumns() throws IOException {
        Path f = Files.writeString(dir.resolve("d.csv"), "id,score,ok,text,mixed\n"
                + "1,0.5,True,\"a, \"\"quoted\"\"\nline\",7\n"
                + "2,1,False,plain,x\n"
                + "3,,true,,8\n");
        List<Map<String, Object>> rows = Records.read(f);
        assertEquals(3, rows.size());
        assertEquals(List.of("id", "score", "ok", "text", "mixed"), List.copyOf(rows.getFirst().keySet()));
        assertEquals(1L, rows.get(0).get("id"));
        assertEquals(0.5, rows.get(0).get("score"));
        assertEquals(1.0, rows.get(1).get("score"), "a column of numbers is all doubles");
        assertEquals(null, rows.get(2).get("score"), "an empty cell is missing");
        assertEquals(Boolean.TRUE, rows.get(0).get("ok"));
        assertEquals(Boolean.FALSE, rows.get(1).get("ok"));
        assertEquals("a, \"quoted\"\nline", rows.get(0).get("text"));
        assertEquals("7", rows.get(0).get("mixed"), "a column with text is all text");
    }

    @Test
    void json_arrayAndLines_keepFieldOrderAndTypes() throws IOException {
        Path array = Files.writeString(dir.resolve("a.json"),
                "[{\"q\": \"2+2\", \"a\": 4, \"tags\": [\"m\", null], \"w\": 0.25, \"n\": {\"x\": true}}]");
        Map<String, Object> r = Records.read(array).getFirst();
        assertEquals(List.of("q", "a", "tags", "w", "n"), List.copyOf(r.keySet()));
        assertEquals(4L, r.get("a"));
        assertEquals(Arrays.asList("m", null), r.get("tags"));
        assertEquals(0.25, r.get("w"));
        assertEquals(new LinkedHashMap<>(Map.of("x", true)), r.get("n"));
        Path lines = Files.writeString(dir.resolve("l.jsonl"), "{\"i\": 1}\n\n{\"i\": 2}\n");
        assertEquals(List.of(Map.of("i", 1L), Map.of("i", 2L)), Records.read(lines));
    }

    @Test
    void jsonLines_badLine_inputErrorWithTheLine() throws IOException {
        Path lines = Files.writeString(dir.resolve("bad.jsonl"), "{\"i\": 1}\n{\"i\": \n");
        InputException e = assertThrows(InputException.class, () -> Records.read(lines));
        assertTrue(e.userMessage().startsWith(lines.toString()), e.userMessage());
    }

    @Test
    void folder_splitsByNameAndShardsInOrder_otherFilesIgnored() throws IOException {
        Path data = Files.createDirectories(dir.resolve("data"));
        Files.writeString(data.resolve("train.jsonl"), "{\"i\": 0}\n");
        Files.writeString(data.resolve("test-00001-of-00002.jsonl"), "{\"i\": 2}\n");
        Files.writeString(data.resolve("test-00000-of-00002.jsonl"), "{\"i\": 1}\n");
        Files.writeString(data.resolve("README.md"), "# not data\n");
        Dataset d = Dataset.folder(data);
        assertEquals(List.of("test", "train"), d.splitNames().stream().sorted().toList());
        assertTrue(d.has("train"));
        assertFalse(d.has("validation"));
        assertEquals(List.of(Map.of("i", 1L), Map.of("i", 2L)), d.split("test"));
        assertFalse(d.sameDocuments("test", "train"));
    }

    @Test
    void file_answersForEverySplit() throws IOException {
        Path f = Files.writeString(dir.resolve("all.jsonl"), "{\"i\": 1}\n");
        Dataset d = Dataset.file(f);
        assertEquals(d.split("test"), d.split("validation"));
        assertTrue(d.sameDocuments("test", "train"));
    }
}
