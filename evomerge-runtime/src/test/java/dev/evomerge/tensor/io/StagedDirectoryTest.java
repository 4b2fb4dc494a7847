package dev.evomerge.tensor.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Staging an output next to its target, and moving it into place. */
class StagedDirectoryTest {

    @TempDir
    Path dir;

    private List<String> names() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void commit_newTarget_movesTheFilesWithTheUmasksPermissionsAndLeavesNoSibling() throws IOException {
        Path target = dir.resolve("model");
        try (StagedDirectory staged = StagedDirectory.create(target, false)) {
            assertEquals(dir, staged.path().getParent());
            assertEquals(true, staged.path().getFileName().toString().startsWith(".model.tmp-"));
            staged.writeFile("a/config.json", "{}".getBytes(StandardCharsets.UTF_8));
            staged.commit();
        }
        assertArrayEquals("{}".getBytes(StandardCharsets.UTF_8), Files.readAllBytes(target.resolve("a/config.json")));
        assertEquals(List.of("model"), names());
        // the same permissions as a directory made the ordinary way, not a temporary directory's owner-only ones
        Path plain = Files.createDirectory(dir.resolve("plain"));
        var expected = Files.getPosixFilePermissions(plain);
        assertEquals(expected, Files.getPosixFilePermissions(target));
        assertNotEquals(PosixFilePermissions.fromString("rwx------"), expected,
                "this test needs a umask other than 077");
    }

    @Test
    void commit_overwrite_replacesTheOldOutputAndLeavesNoSibling() throws IOException {
        Path target = dir.resolve("model");
        Files.createDirectories(target);
        Files.writeString(target.resolve("old.txt"), "old");
        try (StagedDirectory staged = StagedDirectory.create(target, true)) {
            staged.writeFile("new.txt", "new".getBytes(StandardCharsets.UTF_8));
            staged.commit();
        }
        assertFalse(Files.exists(target.resolve("old.txt")));
        assertEquals("new", Files.readString(target.resolve("new.txt")));
        assertEquals(List.of("model"), names());
    }

    @Test
    void close_withoutCommit_removesTheStagingAndLeavesNoTarget() throws IOException {
        Path target = dir.resolve("model");
        try (StagedDirectory first = StagedDirectory.create(target, false);
                StagedDirectory second = StagedDirectory.create(target, false)) {
            assertNotEquals(first.path(), second.path());
            first.writeFile("x", new byte[] {1});
        }
        assertEquals(List.of(), names());
    }
}
