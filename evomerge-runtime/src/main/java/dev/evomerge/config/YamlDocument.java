package dev.evomerge.config;

import dev.evomerge.diag.Requires;
import java.nio.file.Path;

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
        Requires.nonNull("file, text, root", file, text, root);
    }
}
