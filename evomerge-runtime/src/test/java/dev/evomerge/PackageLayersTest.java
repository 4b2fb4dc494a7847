package dev.evomerge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps the runtime's package graph layered as docs/architecture.md writes it down: a package may import only
 * packages of its own layer or lower ones.
 */
class PackageLayersTest {

    /** Layer of each package (sub-packages inherit their parent's layer unless listed). */
    private static final Map<String, Integer> LAYERS = Map.ofEntries(
            Map.entry("diag", 1), Map.entry("event", 1),
            Map.entry("tensor", 2),
            Map.entry("model", 3),
            Map.entry("dfs", 4),
            Map.entry("config", 5),
            Map.entry("merge", 6), Map.entry("infer", 6),
            Map.entry("eval", 7), Map.entry("train", 7),
            Map.entry("search", 8),
            Map.entry("exec", 9), Map.entry("report", 9),
            Map.entry("", 10), Map.entry("cli", 10));

    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?dev\\.evomerge\\.([a-z0-9.]*?)\\.?[A-Z]",
            Pattern.MULTILINE);

    @Test
    void imports_everyPackage_onlySameOrLowerLayers() throws IOException {
        Path root = Path.of("src/main/java/dev/evomerge");
        assertTrue(Files.isDirectory(root), "run from the module directory");
        List<String> violations = new ArrayList<>();
        int files;
        try (Stream<Path> paths = Files.walk(root)) {
            List<Path> sources = paths.filter(p -> p.toString().endsWith(".java")).toList();
            files = sources.size();
            for (Path file : sources) {
                String pkg = root.relativize(file.getParent()).toString().replace('/', '.');
                int own = layerOf(pkg);
                Matcher m = IMPORT.matcher(Files.readString(file));
                while (m.find()) {
                    String imported = m.group(1);
                    if (layerOf(imported) > own) {
                        violations.add(file + " (layer " + own + ") imports dev.evomerge." + imported
                                + " (layer " + layerOf(imported) + ")");
                    }
                }
            }
        }
        assertTrue(files > 0);
        assertEquals(List.of(), violations);
    }

    private static int layerOf(String pkg) {
        String top = pkg.contains(".") ? pkg.substring(0, pkg.indexOf('.')) : pkg;
        Integer layer = LAYERS.get(top);
        if (layer == null) {
            throw new AssertionError("package dev.evomerge." + pkg + " has no layer; add it to docs/architecture.md"
                    + " and to this test");
        }
        return layer;
    }
}
