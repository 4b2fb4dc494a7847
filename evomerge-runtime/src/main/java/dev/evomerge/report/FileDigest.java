package dev.evomerge.report;

import dev.evomerge.diag.Requires;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A file's size and SHA-256 (lower-case hex, as {@code sha256sum} prints it) under a path relative to the directory
 * it belongs to. The digest streams the file through read-only mappings of {@value #WINDOW_BYTES} bytes, each
 * unmapped before the next, so hashing a model neither copies it through a buffer nor keeps it resident. Immutable.
 *
 * @param path the file's path relative to its model directory, with {@code /} separators
 * @param size its size in bytes
 * @param sha256 its SHA-256, 64 lower-case hex digits
 */
public record FileDigest(String path, long size, String sha256) {

    /** Bytes mapped at a time. */
    static final long WINDOW_BYTES = 64L << 20;

    public FileDigest {
        Requires.nonNull("path, sha256", path, sha256);
        if (size < 0) {
            throw new IllegalArgumentException("size must be >= 0, got " + size);
        }
    }

    /** Hashes {@code dir.resolve(relative)}. */
    public static FileDigest of(Path dir, String relative) {
        Path file = dir.resolve(relative);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            return new FileDigest(relative, size, sha256(channel, size));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static String sha256(FileChannel channel, long size) throws IOException {
        MessageDigest sha = newSha256();
        for (long at = 0; at < size; at += WINDOW_BYTES) {
            long length = Math.min(WINDOW_BYTES, size - at);
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment window = channel.map(FileChannel.MapMode.READ_ONLY, at, length, arena);
                sha.update(window.asByteBuffer());
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
