package dev.evomerge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps the runtime's package graph layered as docs/architecture.md writes it down, reading the layers from that
 * table: a package may import only packages of its own layer or lower ones, every package has a row, and every row
 * names a package that exists.
 */
class PackageLayersTest {

    private static final Path ROOT = Path.of("src/main/java/dev/evomerge");
    private static final Path DOC = Path.of("../docs/architecture.md");
    /** A table row: {@code | 6 | `merge.method` | ...} or {@code | 10 | (root) | ...}. */
    private static final Pattern ROW = Pattern.compile("^\\| (\\d+) \\| (?:`([a-z0-9.]+)`|\\(root\\)) \\|",
            Pattern.MULTILINE);
    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?dev\\.evomerge\\.([a-z0-9.]*?)\\.?[A-Z]",
            Pattern.MULTILINE);

    @Test
    void imports_everyPackage_onlySameOrLowerLayers() throws IOException {
        Map<String, Integer> layers = documentedLayers();
        List<String> violations = new ArrayList<>();
        List<Path> sources = sources();
        for (Path file : sources) {
            String pkg = packageOf(file);
            int own = layerOf(layers, pkg);
            Matcher m = IMPORT.matcher(Files.readString(file));
            while (m.find()) {
                String imported = m.group(1);
                if (layerOf(layers, imported) > own) {
                    violations.add(file + " (layer " + own + ") imports dev.evomerge." + imported
                            + " (layer " + layerOf(layers, imported) + ")");
                }
            }
        }
        assertTrue(sources.size() > 0);
        assertEquals(List.of(), violations);
    }

    @Test
    void architectureTable_listsEveryPackageAndNoOther() throws IOException {
        Set<String> existing = new TreeSet<>();
        for (Path file : sources()) {
            existing.add(packageOf(file));
        }
        assertEquals(existing, new TreeSet<>(documentedLayers().keySet()),
                "docs/architecture.md's package table against the packages in " + ROOT);
    }

    /** Package (relative to dev.evomerge, "" for the root) to layer, from the architecture doc's table. */
    private static Map<String, Integer> documentedLayers() throws IOException {
        assertTrue(Files.isRegularFile(DOC), "run from the module directory");
        Map<String, Integer> layers = new HashMap<>();
        Matcher m = ROW.matcher(Files.readString(DOC));
        while (m.find()) {
            String pkg = m.group(2) == null ? "" : m.group(2);
            assertEquals(null, layers.put(pkg, Integer.parseInt(m.group(1))), "two rows for " + pkg);
        }
        return layers;
    }

    private static List<Path> sources() throws IOException {
        assertTrue(Files.isDirectory(ROOT), "run from the module directory");
        try (Stream<Path> paths = Files.walk(ROOT)) {
            return paths.filter(p -> p.toString().endsWith(".java")).toList();
        }
    }

    private static String packageOf(Path file) {
        return ROOT.relativize(file.getParent()).toString().replace('/', '.');
    }

    private static int layerOf(Map<String, Integer> layers, String pkg) {
        Integer layer = layers.get(pkg);
        if (layer == null) {
            throw new AssertionError("package dev.evomerge." + pkg + " has no layer; add a row to"
                    + " docs/architecture.md's package table");
        }
        return layer;
    }
}
