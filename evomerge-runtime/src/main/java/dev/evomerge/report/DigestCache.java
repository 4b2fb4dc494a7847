package dev.evomerge.report;

import dev.evomerge.io.AtomicFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The SHA-256 of input files already hashed, so that merging the same multi-gigabyte models again does not hash
 * them again: an entry counts only while the file's real path, size, modification time (in nanoseconds) and file
 * key (device and inode) are what they were when it was hashed, as {@code git} trusts its index. A file changed in
 * place with its time put back is not noticed here; {@code evomerge verify} never uses the cache.
 *
 * <p>A file of a Hugging Face cache is taken at its name, unhashed: an LFS file's blob
 * ({@code models--ORG--NAME/blobs/SHA256}, which a snapshot's file links to) is named by the SHA-256 the Hub gives
 * for it, and evomerge's downloader renames a blob into place only once its bytes have that SHA-256 (as
 * huggingface_hub names them too). A blob changed in place afterwards is not noticed here; a new revision of a
 * model links to new blobs, with new names, and is. The small files of a repository (config, tokenizer), whose
 * blobs are named by a git SHA-1, are hashed as any other file.
 *
 * <p>The cache is one text file, {@code file-digests.tsv}, in {@code $EVOMERGE_CACHE} or
 * {@code $XDG_CACHE_HOME/evomerge} or {@code ~/.cache/evomerge}; each hash appends one line (one write, so
 * concurrent builds do not tear each other's lines), and the last line for a file wins. {@link #NONE} hashes every
 * time. A cache that cannot be read or written is ignored: it only saves time.
 *
 * <p>Thread-safe.
 */
public final class DigestCache {

    /** A cache that keeps nothing. */
    public static final DigestCache NONE = new DigestCache(null);

    static final String FILE = "file-digests.tsv";
    private static final int COMPACT_LINES = 20_000;
    private static final java.util.regex.Pattern SHA256_NAME = java.util.regex.Pattern.compile("[0-9a-f]{64}");

    private final Path file;
    private Map<String, Entry> entries;

    private record Entry(long size, long modifiedNanos, String fileKey, String sha256) {
    }

    private DigestCache(Path file) {
        this.file = file;
    }

    /** The cache in {@code directory}. */
    public static DigestCache in(Path directory) {
        return new DigestCache(directory.resolve(FILE));
    }

    /** The user's cache, located from the environment as the class comment says. */
    public static DigestCache forUser(Map<String, String> environment) {
        String own = environment.get("EVOMERGE_CACHE");
        if (own != null && !own.isBlank()) {
            return in(Path.of(own));
        }
        String xdg = environment.get("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank()) {
            return in(Path.of(xdg, "evomerge"));
        }
        String home = environment.get("HOME");
        return in(Path.of(home != null && !home.isBlank() ? home : System.getProperty("user.home"), ".cache",
                "evomerge"));
    }

    /** The digest of {@code dir.resolve(relative)}, from the cache when the file is unchanged, else hashed now. */
    public FileDigest digest(Path dir, String relative) {
        if (file == null) {
            return FileDigest.of(dir, relative);
        }
        Path path = dir.resolve(relative);
        Optional<String[]> key = key(path);
        if (key.isEmpty()) {
            return FileDigest.of(dir, relative);
        }
        String[] k = key.get();
        Optional<String> named = hubBlobSha256(Path.of(k[0]));
        if (named.isPresent()) {
            return new FileDigest(relative, Long.parseLong(k[1]), named.get());
        }
        Entry known;
        synchronized (this) {
            known = entries().get(k[0]);
        }
        long size = Long.parseLong(k[1]);
        long modified = Long.parseLong(k[2]);
        if (known != null && known.size == size && known.modifiedNanos == modified && known.fileKey.equals(k[3])) {
            return new FileDigest(relative, size, known.sha256);
        }
        FileDigest d = FileDigest.of(dir, relative);
        // the file's state before hashing is what the entry vouches for: a change while hashing makes it stale
        record(k[0], new Entry(size, modified, k[3], d.sha256()));
        return d;
    }

    /**
     * The SHA-256 a file's real path names, when it is an LFS blob of a Hugging Face cache:
     * {@code .../models--ORG--NAME/blobs/} and 64 lower-case hex digits.
     */
    static Optional<String> hubBlobSha256(Path realPath) {
        Path blobs = realPath.getParent();
        Path repo = blobs == null ? null : blobs.getParent();
        if (repo == null || repo.getFileName() == null || !blobs.getFileName().toString().equals("blobs")
                || !repo.getFileName().toString().startsWith("models--")) {
            return Optional.empty();
        }
        String name = realPath.getFileName().toString();
        return SHA256_NAME.matcher(name).matches() ? Optional.of(name) : Optional.empty();
    }

    /** {real path, size, modified nanos, file key}, or empty when the file's attributes cannot be read. */
    private static Optional<String[]> key(Path path) {
        try {
            BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class);
            Object fileKey = a.fileKey();
            return Optional.of(new String[] {path.toRealPath().toString(), Long.toString(a.size()),
                    Long.toString(a.lastModifiedTime().to(TimeUnit.NANOSECONDS)),
                    fileKey == null ? "-" : fileKey.toString()});
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private Map<String, Entry> entries() {
        if (entries == null) {
            entries = new HashMap<>();
            try {
                if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
                    for (String line : lines) {
                        String[] f = line.split("\t", 5);
                        if (f.length == 5 && f[0].length() == 64) {
                            entries.put(f[4], new Entry(Long.parseLong(f[1]), Long.parseLong(f[2]), f[3], f[0]));
                        }
                    }
                    if (lines.size() > COMPACT_LINES) {
                        compact();
                    }
                }
            } catch (IOException | RuntimeException e) {
                entries.clear();
            }
        }
        return entries;
    }

    private synchronized void record(String path, Entry e) {
        entries().put(path, e);
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, line(path, e), StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND, StandardOpenOption.WRITE);
        } catch (IOException ex) {
            // the cache only saves time
        }
    }

    private void compact() {
        List<String> lines = new ArrayList<>();
        entries.forEach((path, e) -> lines.add(line(path, e)));
        AtomicFile.write(file, String.join("", lines));
    }

    private static String line(String path, Entry e) {
        return e.sha256 + "\t" + e.size + "\t" + e.modifiedNanos + "\t" + e.fileKey + "\t" + path + "\n";
    }
}
