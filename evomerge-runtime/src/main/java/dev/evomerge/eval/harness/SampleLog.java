package dev.evomerge.eval.harness;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.evomerge.diag.InputException;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Receives per-sample records while tasks are evaluated. {@link #jsonl(Path)} writes them as JSON Lines (one
 * {@link SampleRecord#toJson()} per line); {@link #NONE} drops them.
 *
 * <p>Implementations must be thread-safe when shared by evaluations running at once.
 */
public interface SampleLog extends AutoCloseable {

    /** Drops every record. */
    SampleLog NONE = record -> { };

    void accept(SampleRecord record);

    @Override
    default void close() {
    }

    /**
     * A log writing JSON Lines to {@code file} (replaced if it exists); close it to finish the file.
     *
     * @throws InputException naming the file when it cannot be created
     */
    static SampleLog jsonl(Path file) {
        ObjectMapper json = JsonMapper.builder().build();
        BufferedWriter out;
        try {
            Path parent = file.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new InputException(file, "cannot create the samples file: " + e.getMessage(),
                    "check that the folder is writable", e);
        }
        return new SampleLog() {
            @Override
            public synchronized void accept(SampleRecord record) {
                try {
                    out.write(json.writeValueAsString(record.toJson()));
                    out.write('\n');
                } catch (IOException e) {
                    throw new InputException(file, "cannot write the samples file: " + e.getMessage(), null, e);
                }
            }

            @Override
            public synchronized void close() {
                try {
                    out.close();
                } catch (IOException e) {
                    throw new InputException(file, "cannot finish the samples file: " + e.getMessage(), null, e);
                }
            }
        };
    }
}
