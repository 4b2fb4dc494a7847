package dev.evomerge.config;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A parsed YAML file: its exact text (kept so a merge can write it back byte for byte) and its root node.
 * Immutable.
 *
 * @param file the file it came from (used in every message)
 * @param text the file's text exactly as read
 * @param root the root node
 */
public record YamlDocument(Path file, String text, YamlNode root) {

    public YamlDocument {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(root, "root");
    }
}
