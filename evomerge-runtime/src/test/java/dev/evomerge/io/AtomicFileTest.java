package dev.evomerge.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.evomerge.diag.InputException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFileTest {

    @TempDir
    Path dir;

    @Test
    void write_newFileInMissingFolders_createsThemAndLeavesOnlyTheFile() throws IOException {
        Path file = dir.resolve("a/b/summary.json");
        AtomicFile.write(file, "{\"x\": 1}\n");
        assertEquals("{\"x\": 1}\n", Files.readString(file, StandardCharsets.UTF_8));
        assertEquals(List.of(file), list(file.getParent()));
    }

    @Test
    void write_existingFile_replacesItWhole() throws IOException {
        Path file = dir.resolve("state.json");
        Files.writeString(file, "old content that is longer than the new one");
        byte[] content = {1, 2, 3};
        AtomicFile.write(file, content);
        assertArrayEquals(content, Files.readAllBytes(file));
        assertEquals(List.of(file), list(dir));
    }

    @Test
    void write_givesTheFileThePermissionsOfAnyNewFile_notOwnerOnly() throws IOException {
        Path plain = Files.writeString(dir.resolve("plain.txt"), "x");
        Path file = dir.resolve("evomerge.lock.json");
        Files.writeString(file, "old");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        AtomicFile.write(file, "new");
        assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(file));
    }

    @Test
    void write_parentIsAFile_failsNamingTheFileAndLeavesNothing() throws IOException {
        Path notAFolder = dir.resolve("plain");
        Files.writeString(notAFolder, "keep");
        Path file = notAFolder.resolve("x.json");
        InputException e = assertThrows(InputException.class, () -> AtomicFile.write(file, "y"));
        assertTrue(e.userMessage().startsWith(file.toString()), e.userMessage());
        assertTrue(e.userMessage().contains("cannot be written"), e.userMessage());
        assertEquals("keep", Files.readString(notAFolder));
        assertEquals(List.of(notAFolder), list(dir));
    }

    @Test
    void write_targetIsAFolder_failsAndRemovesTheTemporaryFile() throws IOException {
        Path folder = Files.createDirectories(dir.resolve("taken"));
        Files.writeString(folder.resolve("inside"), "z");
        assertThrows(InputException.class, () -> AtomicFile.write(folder, "y"));
        assertEquals(List.of(folder), list(dir));
    }

    private static List<Path> list(Path folder) throws IOException {
        try (Stream<Path> s = Files.list(folder)) {
            return s.sorted().toList();
        }
    }
}
