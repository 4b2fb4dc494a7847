package dev.evomerge.tensor.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileSpaceTest {

    @TempDir
    Path dir;

    @Test
    void reserve_onLinux_extendsTheFileWithAllocatedZeroBlocksAndKeepsItsStart() throws Exception {
        assumeTrue(System.getProperty("os.name").toLowerCase(Locale.ROOT).startsWith("linux"));
        // the tests run with native access enabled, as the command-line jar does
        assertTrue(FileSpace.class.getModule().isNativeAccessEnabled());
        Path file = dir.resolve("shard.safetensors");
        byte[] start = {1, 2, 3, 4, 5, 6, 7, 8};
        Files.write(file, start);
        long length = 3L << 20;

        assertTrue(FileSpace.reserve(file, start.length, length));

        assertEquals(start.length + length, Files.size(file));
        byte[] all = Files.readAllBytes(file);
        assertArrayEquals(start, java.util.Arrays.copyOf(all, start.length));
        for (int i = start.length; i < all.length; i++) {
            assertEquals(0, all[i], "byte " + i);
        }
        // the blocks are allocated, not a hole: stat's count of 512-byte blocks covers the length
        Process stat = new ProcessBuilder("stat", "-c", "%b", file.toString()).start();
        long blocks = Long.parseLong(new String(stat.getInputStream().readAllBytes()).strip());
        assertEquals(0, stat.waitFor());
        assertTrue(blocks * 512 >= length, blocks + " blocks of 512 bytes for " + length + " bytes reserved");
    }

    @Test
    void reserve_missingFileOrNothingToReserve_returnsFalseAndCreatesNothing() throws Exception {
        Path missing = dir.resolve("absent.safetensors");
        assertFalse(FileSpace.reserve(missing, 0, 1 << 20));
        assertFalse(Files.exists(missing));

        Path file = Files.write(dir.resolve("empty.safetensors"), new byte[0]);
        assertFalse(FileSpace.reserve(file, 0, 0));
        assertEquals(0, Files.size(file));
    }
}
