package dev.evomerge.report;

import dev.evomerge.diag.InputException;
import dev.evomerge.io.AtomicFile;
import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * A directory as a reproducible zip, the form in which a model or a report travels through a Maven repository:
 * entries in path order, stored uncompressed (weights do not compress, and a stored entry can be read in place),
 * every entry's time the given instant (a build's {@code project.build.outputTimestamp}), no permissions or extra
 * fields, so that the same files give the same bytes on any machine and in any time zone. Unpacking refuses entries
 * that would land outside the target directory.
 *
 * <p>Stateless and thread-safe.
 */
public final class ModelArchive {

    /** The time written when a build sets none: the zip format's first representable day. */
    public static final Instant DEFAULT_TIME = Instant.parse("1980-01-01T00:00:00Z");

    private static final int BUFFER = 1 << 20;

    private ModelArchive() {
    }

    /** Writes every regular file under {@code dir} into {@code zip} (atomically, {@link AtomicFile}). */
    public static Path pack(Path dir, Path zip, Instant time) {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(dir)) {
            files = walk.filter(Files::isRegularFile).sorted((a, b) -> LockFile.relative(dir, a)
                    .compareTo(LockFile.relative(dir, b))).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
        LocalDateTime local = LocalDateTime.ofInstant(time.isBefore(DEFAULT_TIME) ? DEFAULT_TIME : time,
                ZoneOffset.UTC);
        AtomicFile.write(zip, channel -> {
            // closing the zip stream flushes it into the channel and leaves the channel open: the routine forces
            // and closes that
            OutputStream unclosed = new FilterOutputStream(Channels.newOutputStream(channel)) {
                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    out.write(b, off, len);
                }

                @Override
                public void close() throws IOException {
                    flush();
                }
            };
            try (ZipOutputStream out = new ZipOutputStream(new BufferedOutputStream(unclosed, BUFFER))) {
                byte[] buffer = new byte[BUFFER];
                for (Path f : files) {
                    ZipEntry e = new ZipEntry(LockFile.relative(dir, f));
                    e.setMethod(ZipEntry.STORED);
                    long size = Files.size(f);
                    e.setSize(size);
                    e.setCompressedSize(size);
                    e.setCrc(crc(f, buffer));
                    e.setTimeLocal(local);
                    out.putNextEntry(e);
                    try (InputStream in = Files.newInputStream(f)) {
                        in.transferTo(out);
                    }
                    out.closeEntry();
                }
            }
        });
        return zip;
    }

    private static long crc(Path file, byte[] buffer) throws IOException {
        CRC32 crc = new CRC32();
        try (InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                crc.update(buffer, 0, n);
            }
        }
        return crc.getValue();
    }

    /**
     * Unpacks {@code zip} into {@code dir}, which is emptied first.
     *
     * @throws InputException when the zip cannot be read or names a path outside {@code dir}
     */
    public static void unpack(Path zip, Path dir) {
        Path target = dir.toAbsolutePath().normalize();
        dev.evomerge.tensor.io.StagedDirectory.deleteRecursively(target);
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            Files.createDirectories(target);
            ZipEntry e;
            while ((e = in.getNextEntry()) != null) {
                Path to = target.resolve(e.getName()).normalize();
                if (!to.startsWith(target) || to.equals(target)) {
                    throw new InputException(zip, "has an entry outside the directory it unpacks into: "
                            + e.getName(), "use a model archive evomerge wrote");
                }
                if (e.isDirectory()) {
                    Files.createDirectories(to);
                    continue;
                }
                Files.createDirectories(to.getParent());
                try (OutputStream out = Files.newOutputStream(to)) {
                    in.transferTo(out);
                }
            }
        } catch (IOException e) {
            throw new InputException(zip, "cannot be unpacked: " + e.getMessage(), "resolve the artifact again (it"
                    + " may be truncated)", e);
        }
    }

    /**
     * A build's {@code project.build.outputTimestamp}: seconds since the epoch, or an ISO-8601 instant or offset
     * date-time; {@link #DEFAULT_TIME} when it is empty or a single character (Maven's "not set").
     *
     * @throws IllegalArgumentException when it is neither
     */
    public static Instant outputTimestamp(String value) {
        if (value == null || value.strip().length() < 2) {
            return DEFAULT_TIME;
        }
        String v = value.strip();
        if (v.chars().allMatch(Character::isDigit)) {
            return Instant.ofEpochSecond(Long.parseLong(v));
        }
        try {
            return java.time.OffsetDateTime.parse(v).toInstant();
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException("project.build.outputTimestamp '" + v + "' is neither seconds since"
                    + " the epoch nor an ISO-8601 date-time like 2026-01-01T00:00:00Z");
        }
    }
}
