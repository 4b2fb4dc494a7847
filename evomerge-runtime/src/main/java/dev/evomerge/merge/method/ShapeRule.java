package dev.evomerge.merge.method;

/**
 * How a method's inputs must agree in shape, and which shape its output has, declared as data (mergekit's
 * {@code rectify_embed_sizes} and its size checks). {@link AbstractMergeMethod} checks it once per call.
 */
enum ShapeRule {
    /**
     * Every input has one shape, except that embeddings of different vocabulary sizes are cut to their common
     * top-left submatrix (with a warning); the output has that shape.
     */
    COMMON_SUBMATRIX,
    /** Every input has exactly one shape, which the output has. */
    EQUAL,
    /** The output has the base model's shape; the method fits the other inputs to it (task vectors cut or skip). */
    BASE
}
