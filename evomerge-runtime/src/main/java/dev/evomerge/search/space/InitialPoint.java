package dev.evomerge.search.space;

import dev.evomerge.config.YamlEnums;
import dev.evomerge.diag.SourceLocation;

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
        return YamlEnums.yamlName(this);
    }

    /**
     * Reads {@code mergekit}, {@code sakana} or {@code random}.
     *
     * @throws ConfigException at {@code location} for any other text
     */
    public static InitialPoint parse(String text, SourceLocation location) {
        return YamlEnums.parse(InitialPoint.class, text, "initial point", location);
    }
}
