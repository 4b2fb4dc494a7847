package dev.evomerge.merge.method;

/**
 * What a parameter's number means. mergekit stores every parameter as a float; the kind says how a method reads
 * it back and how a config writer should print it.
 */
public enum ParameterKind {
    /** Any real number, for example {@code weight} or {@code density}. */
    NUMBER,
    /** A switch: 0 is false, anything else true ({@code normalize}, {@code int8_mask}). */
    BOOLEAN,
    /** A count, which must be a whole number ({@code max_iter}). */
    INTEGER
}
