package dev.evomerge.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.evomerge.diag.InputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultsTableTest {

    private static String entry(double lang, double math) {
        return "{\"test\": {\"scores\": {\"lang\": {\"exact_match,none\": " + lang + "}, \"math\": {\"exact_match,none\": "
                + math + "}}, \"fitness\": " + (lang + math) / 2 + "}}";
    }

    @Test
    void markdown_hybridAndDfsRuns_tableOneRowsInOrder(@TempDir Path dir) throws IOException {
        Path hybrid = Files.createDirectories(dir.resolve("ps-dfs"));
        Files.writeString(hybrid.resolve("summary.json"), "{\"stages\": \"hybrid\", \"merge_method\": \"dare_ties\","
                + " \"sources\": {\"models/lang\": " + entry(1.0, 0.52) + ", \"models/math\": " + entry(0.55, 0.84)
                + "}, \"untuned_merge\": " + entry(0.5, 0.4) + ", \"best\": " + entry(1.0, 0.9) + ", \"ps\": "
                + entry(1.0, 0.8) + ", \"best_unit_scales\": " + entry(0.9, 0.7) + "}");
        Path dfs = Files.createDirectories(dir.resolve("dfs"));
        Files.writeString(dfs.resolve("summary.json"), "{\"stages\": \"dfs\", \"sources\": {\"models/math\": "
                + entry(0.55, 0.84) + "}, \"best\": {\"test\": {\"error\": \"out of memory\"}}}");

        String table = ResultsTable.read(List.of(hybrid, dfs)).markdown("test");

        assertEquals("""
                | model (test split) | lang | math | fitness |
                |---|---:|---:|---:|
                | lang | 100.0 | 52.0 | 0.7600 |
                | math | 55.0 | 84.0 | 0.6950 |
                | untuned merge (dare_ties) | 50.0 | 40.0 | 0.4500 |
                | PS | 100.0 | 80.0 | 0.9000 |
                | PS+DFS | 100.0 | 90.0 | 0.9500 |
                | PS+DFS with every scale 1 | 90.0 | 70.0 | 0.8000 |
                | DFS | – | – | failed: out of memory |
                """, table);
    }

    @Test
    void read_noSummary_namesTheFile(@TempDir Path dir) {
        InputException e = assertThrows(InputException.class, () -> ResultsTable.read(List.of(dir)));
        assertEquals(true, e.getMessage().contains("summary.json"), e.getMessage());
    }
}
