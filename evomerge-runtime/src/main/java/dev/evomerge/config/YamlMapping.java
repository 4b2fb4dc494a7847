package dev.evomerge.config;

import dev.evomerge.diag.SourceLocation;
import dev.evomerge.event.EventListener;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SequencedMap;
import java.util.Set;

/**
 * A YAML mapping with string keys, in document order, with its position. Immutable.
 *
 * @param entries the values by key, in document order
 * @param keyLocations where each key is written (for messages about the key itself)
 * @param location where the mapping starts
 */
public record YamlMapping(SequencedMap<String, YamlNode> entries, Map<String, SourceLocation> keyLocations,
        SourceLocation location) implements YamlNode {

    public YamlMapping {
        entries = java.util.Collections.unmodifiableSequencedMap(new LinkedHashMap<>(entries));
        keyLocations = Map.copyOf(keyLocations);
        Objects.requireNonNull(location, "location");
    }

    @Override
    public String kindName() {
        return "a mapping";
    }

    public Set<String> keys() {
        return entries.keySet();
    }

    public boolean has(String key) {
        return entries.containsKey(key);
    }

    /** The value under a key, if present (an explicit {@code null} value is present, as a null scalar). */
    public Optional<YamlNode> get(String key) {
        return Optional.ofNullable(entries.get(key));
    }

    /** The value under a key unless it is absent or an explicit null. */
    public Optional<YamlNode> getNonNull(String key) {
        YamlNode n = entries.get(key);
        if (n == null || (n instanceof YamlScalar s && s.isNull())) {
            return Optional.empty();
        }
        return Optional.of(n);
    }

    /** The value under a key, or an error at this mapping saying the key is required. */
    public YamlNode require(String key) {
        return getNonNull(key).orElseThrow(() -> error("'" + key + "' is required"));
    }

    /** Where a key is written, or the mapping's own location for an absent key. */
    public SourceLocation keyLocation(String key) {
        return keyLocations.getOrDefault(key, location);
    }

    /** Reports each key not in {@code known} as a warning at the key's position. */
    public void warnUnknownKeys(Collection<String> known, EventListener events) {
        for (String key : entries.keySet()) {
            if (!known.contains(key)) {
                events.warn("unknown key '" + key + "' is ignored", keyLocation(key));
            }
        }
    }
}
