package dev.evomerge.tensor;

import dev.evomerge.diag.Requires;

/**
 * A named tensor's type and shape, without its data. Immutable.
 *
 * @param name the tensor name, for example {@code model.layers.0.self_attn.q_proj.weight}
 * @param dtype the element type
 * @param shape the dimensions
 */
public record TensorInfo(String name, DType dtype, Shape shape) {

    public TensorInfo {
        Requires.nonNull("name, dtype, shape", name, dtype, shape);
    }

    public long numel() {
        return shape.numel();
    }

    /** The size of the data in bytes. */
    public long byteSize() {
        return Math.multiplyExact(shape.numel(), (long) dtype.byteSize());
    }

    public TensorInfo withName(String newName) {
        return new TensorInfo(newName, dtype, shape);
    }

    public TensorInfo withDtype(DType newType) {
        return new TensorInfo(name, newType, shape);
    }
}
