package dev.evomerge.search.evolve;

import java.util.Locale;

/**
 * A stage of an evolve run: the parameter-space search ({@code ps}), the data-flow search ({@code dfs}), or the one
 * after the other (hybrid).
 */
public enum Stage {
    PS,
    DFS;

    /** As {@code history.jsonl}, the checkpoint, {@code summary.json} and the work directory write it. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** As messages write it: {@code PS}, {@code DFS}. */
    public String label() {
        return name();
    }

    /** 0 for PS, 1 for DFS: what the stage's optimizer seed and document subsets are derived from. */
    public int index() {
        return ordinal();
    }

    /**
     * The stage {@link #id()} names.
     *
     * @throws IllegalArgumentException when it names none
     */
    public static Stage of(String id) {
        for (Stage s : values()) {
            if (s.id().equals(id)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown stage '" + id + "'");
    }
}
