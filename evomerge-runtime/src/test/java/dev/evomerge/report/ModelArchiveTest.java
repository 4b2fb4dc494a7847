package dev.evomerge.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.evomerge.diag.InputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelArchiveTest {

    @TempDir
    Path dir;

    private void model(Path d, long mtimeMillis) throws IOException {
        Files.createDirectories(d.resolve("sub"));
        Files.writeString(d.resolve("config.json"), "{\"a\": 1}\n");
        byte[] weights = new byte[100_000];
        new java.util.Random(1).nextBytes(weights);
        Files.write(d.resolve("model.safetensors"), weights);
        Files.writeString(d.resolve("sub/z.txt"), "z");
        try (var s = Files.walk(d)) {
            for (Path p : s.toList()) {
                Files.setLastModifiedTime(p, FileTime.fromMillis(mtimeMillis));
            }
        }
    }

    @Test
    void pack_sameFilesAtOtherTimes_giveTheSameBytes_storedInPathOrderWithTheGivenTime() throws IOException {
        model(dir.resolve("one"), 1_600_000_000_000L);
        model(dir.resolve("two"), 1_700_000_000_000L);
        Instant time = ModelArchive.outputTimestamp("2026-01-01T00:00:00Z");
        Path a = ModelArchive.pack(dir.resolve("one"), dir.resolve("a.zip"), time);
        Path b = ModelArchive.pack(dir.resolve("two"), dir.resolve("b.zip"), time);
        assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b));
        List<String> names = new ArrayList<>();
        try (ZipFile z = new ZipFile(a.toFile())) {
            z.stream().forEach(e -> {
                names.add(e.getName());
                assertEquals(ZipEntry.STORED, e.getMethod(), e.getName());
                assertEquals(LocalDateTime.of(2026, 1, 1, 0, 0), e.getTimeLocal(), e.getName());
            });
            assertArrayEquals(Files.readAllBytes(dir.resolve("one/model.safetensors")),
                    z.getInputStream(z.getEntry("model.safetensors")).readAllBytes());
        }
        assertEquals(List.of("config.json", "model.safetensors", "sub/z.txt"), names);
        Path other = ModelArchive.pack(dir.resolve("one"), dir.resolve("c.zip"), Instant.ofEpochSecond(1_800_000_000L));
        assertTrue(Files.mismatch(a, other) >= 0, "another timestamp, other bytes");

        ModelArchive.unpack(a, dir.resolve("out"));
        assertEquals("z", Files.readString(dir.resolve("out/sub/z.txt")));
        assertEquals(-1, Files.mismatch(dir.resolve("one/model.safetensors"), dir.resolve("out/model.safetensors")));
    }

    @Test
    void outputTimestamp_secondsIsoAndUnset() {
        assertEquals(Instant.ofEpochSecond(1_767_225_600L), ModelArchive.outputTimestamp("1767225600"));
        assertEquals(Instant.parse("2026-01-01T00:00:00Z"), ModelArchive.outputTimestamp("2026-01-01T01:00:00+01:00"));
        assertEquals(ModelArchive.DEFAULT_TIME, ModelArchive.outputTimestamp(null));
        assertEquals(ModelArchive.DEFAULT_TIME, ModelArchive.outputTimestamp("a"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ModelArchive.outputTimestamp("yesterday"));
        assertTrue(e.getMessage().contains("'yesterday'"), e.getMessage());
    }

    @Test
    void unpack_entryOutsideTheTarget_isRefused() throws IOException {
        Path evil = dir.resolve("evil.zip");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(evil))) {
            out.putNextEntry(new ZipEntry("../escaped.txt"));
            out.write('x');
            out.closeEntry();
        }
        InputException e = assertThrows(InputException.class, () -> ModelArchive.unpack(evil, dir.resolve("t")));
        assertTrue(e.userMessage().contains("../escaped.txt"), e.userMessage());
        assertTrue(Files.notExists(dir.resolve("escaped.txt")));
    }
}
