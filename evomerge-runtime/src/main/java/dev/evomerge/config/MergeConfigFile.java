package dev.evomerge.config;

import dev.evomerge.diag.ConfigException;
import dev.evomerge.diag.InputException;
import dev.evomerge.diag.Requires;
import dev.evomerge.event.EventListener;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A merge config file as read: where it is, its exact text (a merge writes it back byte for byte as
 * {@code mergekit_config.yml}), and its records. Immutable.
 *
 * {@snippet :
 * MergeConfigFile file = MergeConfigFile.read(Path.of("merge.yml"), events);
 * MergeConfig config = file.config();
 * }
 *
 * @param file the file it came from
 * @param text the file's text exactly as read
 * @param config what it says
 */
public record MergeConfigFile(Path file, String text, MergeConfig config) {

    public MergeConfigFile {
        Requires.nonNull("file, text, config", file, text, config);
    }

    /**
     * Reads and checks a merge config file. Warnings (unknown keys and the like) go to {@code events}.
     *
     * @throws InputException when the file cannot be read
     * @throws ConfigException for a config mistake, with its file, line, column and key path
     */
    public static MergeConfigFile read(Path file, EventListener events) {
        return of(YamlParser.parse(file), events);
    }

    /** Parses config text; {@code file} names it in messages. */
    public static MergeConfigFile parse(String text, Path file, EventListener events) {
        return of(YamlParser.parse(text, file), events);
    }

    private static MergeConfigFile of(YamlDocument document, EventListener events) {
        Objects.requireNonNull(events, "events");
        return new MergeConfigFile(document.file(), document.text(), MergeConfigReader.read(document, events));
    }
}
