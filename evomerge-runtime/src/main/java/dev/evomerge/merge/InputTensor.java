package dev.evomerge.merge;

import dev.evomerge.diag.Requires;
import dev.evomerge.tensor.Shape;

/**
 * One model's input to one output tensor, without its data: which model, which of its tensors (in layer-stacking
 * merges the input's layer differs from the output's), the tensor's shape, and the per-model parameters evaluated
 * against that input tensor name.
 *
 * <p>Immutable and thread-safe.
 *
 * @param modelIndex the model's position among the merge's models (YAML order, an appended base model last);
 *     together with the seed and the output tensor name it keys the {@link CounterRandom} draws for this input
 * @param model how the model is named to the user, for example its reference as written in the YAML
 * @param tensorName the model's own tensor name, for example {@code model.layers.1.mlp.up_proj.weight}
 * @param shape the input tensor's shape
 * @param parameters per-model parameters ({@code weight}, {@code density}, ...) evaluated for this tensor
 */
public record InputTensor(int modelIndex, String model, String tensorName, Shape shape, ParameterValues parameters) {

    public InputTensor {
        if (modelIndex < 0) {
            throw new IllegalArgumentException("modelIndex must be >= 0, got " + modelIndex);
        }
        Requires.nonNull("model, tensorName, shape, parameters", model, tensorName, shape, parameters);
    }

    /** {@code model:tensorName}, the way warnings and errors name an input. */
    public String label() {
        return model + ":" + tensorName;
    }
}
