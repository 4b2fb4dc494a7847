package dev.evomerge.config;

import dev.evomerge.diag.SourceLocation;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SequencedMap;

/**
 * A {@code parameters:} block: settings by parameter name, in the order written, each with where it is written.
 * Equality compares the settings only. Immutable and thread-safe.
 *
 * @param settings the settings by name, in document order
 * @param locations where each setting is written (a generated block has none)
 */
public record Parameters(SequencedMap<String, ParameterSetting> settings, Map<String, SourceLocation> locations) {

    /** No parameters. */
    public static final Parameters NONE = new Parameters(new LinkedHashMap<>(), Map.of());

    public Parameters {
        for (var e : settings.entrySet()) {
            Objects.requireNonNull(e.getKey(), "parameter name");
            Objects.requireNonNull(e.getValue(), () -> "setting of " + e.getKey());
        }
        settings = Collections.unmodifiableSequencedMap(new LinkedHashMap<>(settings));
        locations = Map.copyOf(locations);
    }

    /** Generated parameters, in the map's iteration order. */
    public static Parameters of(Map<String, ? extends ParameterSetting> settings) {
        return new Parameters(new LinkedHashMap<>(settings), Map.of());
    }

    /** One generated parameter. */
    public static Parameters of(String name, ParameterSetting setting) {
        return of(Map.of(name, setting));
    }

    public boolean isEmpty() {
        return settings.isEmpty();
    }

    public Optional<ParameterSetting> get(String name) {
        return Optional.ofNullable(settings.get(name));
    }

    /** Where a parameter is written, if it is and the block came from a file. */
    public Optional<SourceLocation> locationOf(String name) {
        return Optional.ofNullable(locations.get(name));
    }

    /** A copy with one setting added or replaced (kept in place when replaced, appended otherwise). */
    public Parameters with(String name, ParameterSetting setting) {
        SequencedMap<String, ParameterSetting> copy = new LinkedHashMap<>(settings);
        copy.put(name, setting);
        Map<String, SourceLocation> where = new HashMap<>(locations);
        where.remove(name);
        return new Parameters(copy, where);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Parameters p && settings.equals(p.settings);
    }

    @Override
    public int hashCode() {
        return settings.hashCode();
    }
}
