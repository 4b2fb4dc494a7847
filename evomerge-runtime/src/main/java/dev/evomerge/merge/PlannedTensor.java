package dev.evomerge.merge;

import dev.evomerge.diag.Requires;
import dev.evomerge.tensor.DType;
import dev.evomerge.tensor.Shape;
import dev.evomerge.tensor.TensorInfo;
import java.util.List;

/**
 * One output tensor of a merge plan: the merge method's view of it ({@link TensorMergeSpec}: inputs with their
 * parameters, base, global parameters), where each input is stored, and what comes out. Immutable.
 *
 * @param spec what the merge method gets
 * @param storedNames for each input, the name the tensor has in that model's files (after alias and tied-name
 *     fallback), in the order of {@code spec.inputs()}
 * @param inputDtypes for each input, the dtype it is stored in
 * @param outputShape the shape of the merged tensor
 * @param outputDtype the dtype it is written in
 */
public record PlannedTensor(TensorMergeSpec spec, List<String> storedNames, List<DType> inputDtypes,
        Shape outputShape, DType outputDtype) {

    public PlannedTensor {
        Requires.nonNull("spec, outputShape, outputDtype", spec, outputShape, outputDtype);
        storedNames = List.copyOf(storedNames);
        inputDtypes = List.copyOf(inputDtypes);
        if (storedNames.size() != spec.size() || inputDtypes.size() != spec.size()) {
            throw new IllegalArgumentException("tensor '" + spec.outputName() + "': " + spec.size() + " inputs but "
                    + storedNames.size() + " stored names and " + inputDtypes.size() + " dtypes");
        }
    }

    public String outputName() {
        return spec.outputName();
    }

    /** The output tensor as the writer declares it. */
    public TensorInfo outputInfo() {
        return new TensorInfo(spec.outputName(), outputDtype, outputShape);
    }

    /** Float32 bytes of the input arrays while this tensor is merged (the method's own scratch comes on top). */
    public long inputArrayBytes() {
        long elements = 0;
        for (InputTensor in : spec.inputs()) {
            elements += in.shape().numel();
        }
        return 4 * elements;
    }

    /** Bytes read from the inputs (for throughput figures). */
    public long inputBytes() {
        long bytes = 0;
        for (int i = 0; i < spec.size(); i++) {
            bytes += spec.input(i).shape().numel() * inputDtypes.get(i).byteSize();
        }
        return bytes;
    }
}
