package dev.evomerge.search.space;

import dev.evomerge.config.YamlEnums;

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
}
