package dev.evomerge.diag;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class RequiresTest {

    /** {@code Requires.nonNull("a, b" + "c", a, b, c);} across lines: the names text and the arguments. */
    private static final Pattern CALL = Pattern.compile(
            "Requires\\.nonNull\\(((?:\"[^\"]*\"\\s*\\+?\\s*)+),([^;]*)\\);");

    @Test
    void nonNull_allSet_passes() {
        assertDoesNotThrow(() -> Requires.nonNull("a, b", "x", 1));
    }

    @Test
    void nonNull_oneNull_namesIt() {
        var e = assertThrows(NullPointerException.class, () -> Requires.nonNull("name, dtype, shape", "x", "y", null));
        assertEquals("shape", e.getMessage());
    }

    @Test
    void nonNull_severalNull_namesTheFirst() {
        var e = assertThrows(NullPointerException.class, () -> Requires.nonNull("a, b, c", "x", null, null));
        assertEquals("b", e.getMessage());
    }

    @Test
    void nonNull_everyCallInTheRuntime_namesItsArgumentsInOrder() throws IOException {
        Path root = Path.of("src/main/java");
        assertTrue(Files.isDirectory(root), "run from the module directory");
        List<String> mismatches = new ArrayList<>();
        int calls = 0;
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                Matcher m = CALL.matcher(Files.readString(file));
                while (m.find()) {
                    calls++;
                    String names = m.group(1).replaceAll("\"\\s*\\+\\s*\"", "").replace("\"", "").strip();
                    String arguments = String.join(", ", m.group(2).strip().split("\\s*,\\s*"));
                    if (!names.equals(arguments)) {
                        mismatches.add(file + ": \"" + names + "\" for " + arguments);
                    }
                }
            }
        }
        assertTrue(calls > 50, "found only " + calls + " calls; has the pattern gone stale?");
        assertEquals(List.of(), mismatches);
    }
}
