package dev.evomerge.merge;

import dev.evomerge.diag.Requires;
import java.util.List;

/**
 * What is merged into one output tensor, without the data: the planner builds one per output tensor from the
 * config and the input headers, so a method can {@linkplain dev.evomerge.merge.method.MergeMethod#check check}
 * it before anything is read.
 *
 * <p>Immutable and thread-safe.
 *
 * @param outputName the output tensor's name; global parameter filters were matched against it, and it keys the
 *     {@link CounterRandom} draws
 * @param embedding whether the weight is indexed by vocabulary (embeddings, lm_head): mismatched vocabulary sizes
 *     are then cut to a common submatrix instead of failing (mergekit's {@code is_embed})
 * @param optional whether the architecture lets a model lack this weight (mergekit's {@code optional}); a method
 *     that needs more inputs than are present drops such a tensor instead of failing
 * @param inputs the models' inputs in YAML order (an appended base model last); models that lack the tensor are
 *     left out by the planner
 * @param baseIndex the position of the base model's input in {@code inputs}, or -1 when there is no base model or
 *     it lacks this tensor
 * @param global the method-wide parameters ({@code t}, {@code normalize}, {@code lambda}, ...) evaluated for this
 *     tensor
 */
public record TensorMergeSpec(String outputName, boolean embedding, boolean optional, List<InputTensor> inputs,
        int baseIndex, ParameterValues global) {

    public TensorMergeSpec {
        Requires.nonNull("outputName, global", outputName, global);
        inputs = List.copyOf(inputs);
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException("tensor '" + outputName + "' has no inputs");
        }
        if (baseIndex < -1 || baseIndex >= inputs.size()) {
            throw new IllegalArgumentException("baseIndex " + baseIndex + " outside -1.." + (inputs.size() - 1));
        }
    }

    public boolean hasBase() {
        return baseIndex >= 0;
    }

    public InputTensor input(int i) {
        return inputs.get(i);
    }

    public int size() {
        return inputs.size();
    }
}
