package dev.evomerge.search.space;

import dev.evomerge.diag.ConfigException;
import dev.evomerge.diag.SourceLocation;
import java.util.Arrays;
import java.util.Locale;

/**
 * Where a parameter-space search starts ({@code search.initial} in {@code evolve.yml}). Immutable.
 */
public enum InitialPoint {

    /** mergekit-evolve's start: every weight (and slerp's gene) 1/M, every density 1. */
    MERGEKIT,
    /** Sakana's start: 0.5 in every gene. */
    SAKANA,
    /**
     * Uniform within the bounds, from a stream of its own derived from the seed (mergekit-evolve's
     * {@code --random-init}).
     */
    RANDOM;

    /** The name as {@code evolve.yml} writes it. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Reads {@code mergekit}, {@code sakana} or {@code random}.
     *
     * @throws ConfigException at {@code location} for any other text
     */
    public static InitialPoint parse(String text, SourceLocation location) {
        for (InitialPoint p : values()) {
            if (p.configName().equals(text)) {
                return p;
            }
        }
        throw new ConfigException(location, "unknown initial point '" + text + "'",
                "use one of " + String.join(", ", Arrays.stream(values()).map(InitialPoint::configName).toList()));
    }
}
