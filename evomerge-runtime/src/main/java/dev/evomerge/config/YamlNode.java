package dev.evomerge.config;

import dev.evomerge.diag.ConfigException;
import dev.evomerge.diag.SourceLocation;

/**
 * A node of a YAML document that remembers where it came from: file, line, column and key path. Config readers walk
 * these nodes instead of plain maps so that every error can name its place. Immutable.
 */
public sealed interface YamlNode permits YamlScalar, YamlSequence, YamlMapping {

    /** Where the node starts, with its key path (for example {@code models[1].parameters.weight}). */
    SourceLocation location();

    /** What kind of node this is, for messages: "a scalar", "a list", "a mapping". */
    String kindName();

    /** A config error at this node. */
    default ConfigException error(String message) {
        return new ConfigException(location(), message);
    }

    /** A config error at this node, with what the user could do. */
    default ConfigException error(String message, String suggestion) {
        return new ConfigException(location(), message, suggestion);
    }

    /** This node as a mapping, or an error saying a mapping was expected. */
    default YamlMapping asMapping() {
        if (this instanceof YamlMapping m) {
            return m;
        }
        throw error("expected a mapping (key: value) but found " + kindName());
    }

    /** This node as a sequence, or an error saying a list was expected. */
    default YamlSequence asSequence() {
        if (this instanceof YamlSequence s) {
            return s;
        }
        throw error("expected a list but found " + kindName());
    }

    /** This node as a scalar, or an error saying a single value was expected. */
    default YamlScalar asScalar() {
        if (this instanceof YamlScalar s) {
            return s;
        }
        throw error("expected a single value but found " + kindName());
    }
}
