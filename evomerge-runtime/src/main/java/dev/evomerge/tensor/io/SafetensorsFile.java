package dev.evomerge.tensor.io;

import dev.evomerge.io.InputFiles;
import dev.evomerge.diag.InputException;
import dev.evomerge.tensor.TensorInfo;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.NoSuchElementException;

/**
 * One safetensors file, memory-mapped whole into its own shared {@link Arena}; {@link #close()} unmaps it. Tensor
 * bytes are zero-copy slices of the mapping.
 *
 * <p>Thread-safe for reads; segments must not be used after {@code close()}.
 */
public final class SafetensorsFile implements AutoCloseable {

    private final Path path;
    private final Arena arena;
    private final MemorySegment mapping;
    private final SafetensorsHeader header;

    private SafetensorsFile(Path path, Arena arena, MemorySegment mapping, SafetensorsHeader header) {
        this.path = path;
        this.arena = arena;
        this.mapping = mapping;
        this.header = header;
    }

    /** Maps and validates a file. Every fault is an {@link InputException} naming the file. */
    public static SafetensorsFile open(Path path) {
        InputFiles.requireRegular(path);
        Arena arena = Arena.ofShared();
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = ch.size();
            ByteBuffer first8 = ByteBuffer.allocate(8);
            while (first8.hasRemaining() && ch.read(first8, first8.position()) > 0) {
                // read until 8 bytes or end of file
            }
            long headerLength = SafetensorsHeader.headerLength(path, first8, size);
            MemorySegment mapping = ch.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
            ByteBuffer headerBytes = mapping.asSlice(8, headerLength).asByteBuffer();
            SafetensorsHeader header = SafetensorsHeader.parse(path, headerBytes, size - 8 - headerLength);
            return new SafetensorsFile(path, arena, mapping, header);
        } catch (NoSuchFileException e) {
            arena.close();
            throw new InputException(path, "file not found", "check the model directory");
        } catch (IOException e) {
            arena.close();
            throw new InputException(path, "cannot read the file: " + e.getMessage(), null, e);
        } catch (RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    public Path path() {
        return path;
    }

    /**
     * Whether the file is no longer the size it was when mapped: a truncated mapping faults where it is read (the
     * JVM reports an {@code InternalError}), and this names the file that changed.
     */
    public boolean changedSinceOpened() {
        try {
            return Files.size(path) != mapping.byteSize();
        } catch (IOException e) {
            return true;
        }
    }

    public SafetensorsHeader header() {
        return header;
    }

    /** The tensor's bytes, a zero-copy slice of the mapping. */
    public MemorySegment bytes(String name) {
        SafetensorsHeader.Entry e = entry(name);
        return mapping.asSlice(header.dataOffset() + e.begin(), e.end() - e.begin());
    }

    public TensorInfo info(String name) {
        return entry(name).info();
    }

    private SafetensorsHeader.Entry entry(String name) {
        SafetensorsHeader.Entry e = header.entries().get(name);
        if (e == null) {
            throw new NoSuchElementException("no tensor '" + name + "' in " + path);
        }
        return e;
    }

    @Override
    public void close() {
        arena.close();
    }
}
