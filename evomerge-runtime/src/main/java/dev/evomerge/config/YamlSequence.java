package dev.evomerge.config;

import dev.evomerge.diag.SourceLocation;
import java.util.List;
import java.util.Objects;

/**
 * A YAML list with its position. Immutable.
 *
 * @param items the elements in order
 * @param location where the list starts
 */
public record YamlSequence(List<YamlNode> items, SourceLocation location) implements YamlNode {

    public YamlSequence {
        items = List.copyOf(items);
        Objects.requireNonNull(location, "location");
    }

    @Override
    public String kindName() {
        return "a list";
    }

    public int size() {
        return items.size();
    }

    public YamlNode get(int i) {
        return items.get(i);
    }
}
