package dev.evomerge.merge;

import dev.evomerge.diag.Requires;
import dev.evomerge.tensor.Shape;

/**
 * A merge method's result for one output tensor: float32 values, row-major. The executor rounds them to the
 * output dtype once, when writing.
 *
 * @param shape the output shape (the inputs' shape, or the common submatrix of mismatched embeddings)
 * @param values {@code shape.numel()} values; owned by the receiver
 */
public record MergedTensor(Shape shape, float[] values) {

    public MergedTensor {
        Requires.nonNull("shape, values", shape, values);
        if (values.length != shape.numel()) {
            throw new IllegalArgumentException("shape " + shape + " needs " + shape.numel() + " values, got "
                    + values.length);
        }
    }
}
