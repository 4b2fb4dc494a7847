package dev.evomerge.merge;

import java.util.List;
import java.util.Objects;

/**
 * A {@link TensorMergeSpec} with its data: each input's values as float32, row-major, in the order of
 * {@code spec.inputs()}.
 *
 * <p>The arrays are handed over to the merge method: it may overwrite them and may return one of them as its
 * result, so the caller must not use them after the call. This lets task-vector methods work in place and keeps
 * a tensor's peak memory at its inputs plus at most one output array. For the same reason no two inputs may share
 * one array (load the tensor twice, or copy it, when a model is used twice).
 *
 * @param spec what is merged
 * @param values one array per input, each of length {@code inputs.get(i).shape().numel()}
 */
public record TensorMergeInput(TensorMergeSpec spec, List<float[]> values) {

    public TensorMergeInput {
        Objects.requireNonNull(spec, "spec");
        values = List.copyOf(values);
        if (values.size() != spec.size()) {
            throw new IllegalArgumentException("tensor '" + spec.outputName() + "' has " + spec.size()
                    + " inputs but " + values.size() + " value arrays");
        }
        for (int i = 0; i < values.size(); i++) {
            long numel = spec.input(i).shape().numel();
            if (values.get(i).length != numel) {
                throw new IllegalArgumentException("input " + spec.input(i).label() + " has shape "
                        + spec.input(i).shape() + " but " + values.get(i).length + " values");
            }
            for (int j = 0; j < i; j++) {
                if (values.get(j) == values.get(i)) {
                    throw new IllegalArgumentException("inputs " + spec.input(j).label() + " and "
                            + spec.input(i).label() + " share one array; each input needs its own");
                }
            }
        }
    }

    /** The values of input {@code i}. */
    public float[] values(int i) {
        return values.get(i);
    }
}
