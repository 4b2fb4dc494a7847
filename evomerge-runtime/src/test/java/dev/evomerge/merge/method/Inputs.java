package dev.evomerge.merge.method;

import dev.evomerge.event.Event;
import dev.evomerge.merge.CounterRandom;
import dev.evomerge.merge.InputTensor;
import dev.evomerge.merge.MergeContext;
import dev.evomerge.merge.MergedTensor;
import dev.evomerge.merge.ParameterValues;
import dev.evomerge.merge.TensorMergeInput;
import dev.evomerge.merge.TensorMergeSpec;
import dev.evomerge.tensor.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Builds one tensor's merge input for kernel tests: models in call order, arrays copied so tests can reuse them. */
final class Inputs {

    private final String name;
    private final List<InputTensor> inputs = new ArrayList<>();
    private final List<float[]> values = new ArrayList<>();
    private int base = -1;
    private boolean embedding;
    private boolean optional;
    private ParameterValues global = ParameterValues.empty();
    final List<String> warnings = new CopyOnWriteArrayList<>();

    private Inputs(String name) {
        this.name = name;
    }

    static Inputs tensor(String name) {
        return new Inputs(name);
    }

    static Inputs tensor() {
        return new Inputs("model.layers.0.mlp.up_proj.weight");
    }

    Inputs model(float[] v, Object... parameters) {
        return model(Shape.of(v.length), v, parameters);
    }

    Inputs model(Shape shape, float[] v, Object... parameters) {
        int index = inputs.size();
        inputs.add(new InputTensor(index, "m" + index, name, shape, ParameterValues.of(parameters)));
        values.add(v.clone());
        return this;
    }

    Inputs base(float[] v, Object... parameters) {
        return base(Shape.of(v.length), v, parameters);
    }

    Inputs base(Shape shape, float[] v, Object... parameters) {
        base = inputs.size();
        int index = inputs.size();
        inputs.add(new InputTensor(index, "base", name, shape, ParameterValues.of(parameters)));
        values.add(v.clone());
        return this;
    }

    Inputs global(Object... parameters) {
        global = ParameterValues.of(parameters);
        return this;
    }

    Inputs embedding() {
        embedding = true;
        return this;
    }

    Inputs optional() {
        optional = true;
        return this;
    }

    TensorMergeSpec spec() {
        return new TensorMergeSpec(name, embedding, optional, inputs, base, global);
    }

    TensorMergeInput input() {
        List<float[]> copies = new ArrayList<>();
        for (float[] v : values) {
            copies.add(v.clone());
        }
        return new TensorMergeInput(spec(), copies);
    }

    MergeContext context(long seed) {
        return new MergeContext(new CounterRandom(seed), event -> {
            if (event instanceof Event.Warning w) {
                warnings.add(w.message());
            }
        });
    }

    /** Merges with seed 0 and returns the result, failing if the method dropped the tensor. */
    MergedTensor merge(MergeMethod method) {
        return merge(method, 0);
    }

    /**
     * Merges, and checks that the plan-time answers agree with the result: {@code producesOutput} is true, the
     * result has {@code outputShape}, and {@code workingBytes} is not negative.
     */
    MergedTensor merge(MergeMethod method, long seed) {
        TensorMergeSpec spec = spec();
        MergedTensor out = method.merge(input(), context(seed)).orElseThrow(() -> new AssertionError("tensor dropped"));
        if (!method.producesOutput(spec)) {
            throw new AssertionError(method + ": producesOutput is false but merge returned a tensor");
        }
        if (!method.outputShape(spec).equals(out.shape())) {
            throw new AssertionError(method + ": outputShape " + method.outputShape(spec) + " but merge returned "
                    + out.shape());
        }
        if (method.workingBytes(spec) < 0) {
            throw new AssertionError(method + ": negative workingBytes");
        }
        return out;
    }

    float[] mergeValues(MergeMethod method) {
        return merge(method).values();
    }

    static float[] f(double... v) {
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) v[i];
        }
        return out;
    }
}
