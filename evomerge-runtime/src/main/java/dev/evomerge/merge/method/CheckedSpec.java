package dev.evomerge.merge.method;

import dev.evomerge.merge.InputTensor;
import dev.evomerge.merge.ParameterValues;
import dev.evomerge.merge.TensorMergeSpec;
import dev.evomerge.tensor.Shape;

/**
 * A {@link TensorMergeSpec} its method has checked (arity, base model, parameters, shapes), with the output shape
 * that check found. Only {@link AbstractMergeMethod} makes one, so a method's kernel that receives one never checks
 * again.
 *
 * <p>Immutable and thread-safe.
 */
final class CheckedSpec {

    private final TensorMergeSpec spec;
    private final Shape outputShape;
    private final int[] others;

    CheckedSpec(TensorMergeSpec spec, Shape outputShape) {
        this.spec = spec;
        this.outputShape = outputShape;
        this.others = Operands.othersOf(spec);
    }

    TensorMergeSpec spec() {
        return spec;
    }

    /** The shape the merge returns (after the shape rule's cutting). */
    Shape outputShape() {
        return outputShape;
    }

    String outputName() {
        return spec.outputName();
    }

    ParameterValues global() {
        return spec.global();
    }

    int size() {
        return spec.size();
    }

    InputTensor input(int i) {
        return spec.input(i);
    }

    boolean hasBase() {
        return spec.hasBase();
    }

    /** The base model's input index, or -1. */
    int baseIndex() {
        return spec.baseIndex();
    }

    /** Every input index, base included, in input order. */
    int[] all() {
        return Operands.allOf(spec);
    }

    /** The indices of the inputs other than the base, in input order. */
    int[] others() {
        return others.clone();
    }
}
