package dev.evomerge.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DigestCacheTest {

    @TempDir
    Path dir;

    private static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    @Test
    void fileDigest_largerThanOneWindow_matchesTheWholeFileHash() throws Exception {
        byte[] data = new byte[(int) FileDigest.WINDOW_BYTES + 12_345];
        new java.util.Random(3).nextBytes(data);
        Files.write(dir.resolve("big.bin"), data);
        FileDigest d = FileDigest.of(dir, "big.bin");
        assertEquals(sha256(data), d.sha256());
        assertEquals(data.length, d.size());
        Files.write(dir.resolve("empty"), new byte[0]);
        assertEquals(sha256(new byte[0]), FileDigest.of(dir, "empty").sha256());
    }

    @Test
    void digest_unchangedFileComesFromTheCache_changedTimeOrSizeIsHashedAgain() throws Exception {
        Path file = dir.resolve("w.bin");
        Files.write(file, new byte[] {1, 2, 3});
        FileTime time = FileTime.fromMillis(1_700_000_000_000L);
        Files.setLastModifiedTime(file, time);
        DigestCache cache = DigestCache.forUser(Map.of("EVOMERGE_CACHE", dir.resolve("c").toString()));
        String first = cache.digest(dir, "w.bin").sha256();
        assertEquals(sha256(new byte[] {1, 2, 3}), first);
        // same size and time, other bytes: a new cache instance (another build) trusts the line it reads back
        Files.write(file, new byte[] {9, 9, 9});
        Files.setLastModifiedTime(file, time);
        DigestCache again = DigestCache.in(dir.resolve("c"));
        assertEquals(first, again.digest(dir, "w.bin").sha256());
        assertEquals(sha256(new byte[] {9, 9, 9}), DigestCache.NONE.digest(dir, "w.bin").sha256());
        // a new time: hashed again
        Files.setLastModifiedTime(file, FileTime.fromMillis(1_700_000_001_000L));
        assertNotEquals(first, again.digest(dir, "w.bin").sha256());
        assertEquals(sha256(new byte[] {9, 9, 9}), DigestCache.in(dir.resolve("c")).digest(dir, "w.bin").sha256());
    }

    @Test
    void digest_hubCacheBlobIsTakenAtItsName_butVerifysNoneCacheHashesIt() throws Exception {
        // a snapshot file linking to an LFS blob whose name is not its bytes' hash: only a real hash shows it
        byte[] bytes = {4, 5, 6, 7};
        String named = sha256(new byte[] {1});
        Path repo = dir.resolve("hub/models--org--m");
        Files.createDirectories(repo.resolve("blobs"));
        Files.createDirectories(repo.resolve("snapshots/abc"));
        Files.write(repo.resolve("blobs").resolve(named), bytes);
        Files.createSymbolicLink(repo.resolve("snapshots/abc/model.safetensors"), Path.of("../../blobs/" + named));
        // a small file's blob is named by a git SHA-1: hashed
        String gitSha1 = "0123456789abcdef0123456789abcdef01234567";
        Files.write(repo.resolve("blobs").resolve(gitSha1), bytes);
        Files.createSymbolicLink(repo.resolve("snapshots/abc/config.json"), Path.of("../../blobs/" + gitSha1));
        Path snapshot = repo.resolve("snapshots/abc");
        DigestCache cache = DigestCache.in(dir.resolve("c"));

        FileDigest weights = cache.digest(snapshot, "model.safetensors");
        assertEquals(named, weights.sha256());
        assertEquals(4, weights.size());
        assertEquals("model.safetensors", weights.path());
        assertEquals(sha256(bytes), DigestCache.NONE.digest(snapshot, "model.safetensors").sha256());
        assertEquals(sha256(bytes), cache.digest(snapshot, "config.json").sha256());
        // the same name outside a hub cache's blobs folder means nothing
        Files.createDirectories(dir.resolve("plain/blobs"));
        Files.write(dir.resolve("plain/blobs").resolve(named), bytes);
        assertEquals(sha256(bytes), cache.digest(dir.resolve("plain/blobs"), named).sha256());
    }
}
