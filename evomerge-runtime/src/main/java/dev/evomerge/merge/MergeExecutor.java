package dev.evomerge.merge;

import dev.evomerge.config.DTypeSetting;
import dev.evomerge.diag.RunException;
import dev.evomerge.event.EventListener;
import dev.evomerge.tensor.DType;
import dev.evomerge.tensor.HalfFloats;
import dev.evomerge.tensor.io.InMemoryTensors;
import dev.evomerge.tensor.io.ModelWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Runs a {@link MergePlan}: each output tensor is one job that reads its inputs as float32 from the mapped models,
 * runs the merge method and writes the result, with several jobs in parallel inside a memory budget
 * ({@link BudgetedExecutor}). Every tensor goes to its own place, and stochastic methods draw from a generator keyed
 * by tensor and element, so the output is the same bytes for any thread count.
 *
 * <p>Stateless and thread-safe.
 */
public final class MergeExecutor {

    /**
     * How to run.
     *
     * @param seed seed of the stochastic methods
     * @param threads tensors merged at once
     * @param memoryBudget bytes of float32 data in flight at once
     */
    public record Options(long seed, int threads, long memoryBudget) {
        public Options {
            if (threads < 1 || memoryBudget <= 0) {
                throw new IllegalArgumentException("threads must be >= 1 and the budget > 0");
            }
        }
    }

    private MergeExecutor() {
    }

    /** Merges every tensor into {@code out}, which the caller commits after adding the other files. */
    public static void toWriter(MergePlan plan, ModelWriter out, Options options, EventListener events) {
        run(plan, options, events, (t, values) -> out.writeFloats(t.outputName(), 0, values, 0, values.length));
    }

    /** Merges every tensor into memory, in write order: a candidate evaluated without writing a checkpoint. */
    public static InMemoryTensors toMemory(MergePlan plan, Options options, EventListener events) {
        float[][] results = new float[plan.tensors().size()][];
        List<PlannedTensor> tensors = plan.tensors();
        java.util.Map<String, Integer> position = new java.util.HashMap<>();
        for (int i = 0; i < tensors.size(); i++) {
            position.put(tensors.get(i).outputName(), i);
        }
        run(plan, options, events, (t, values) -> results[position.get(t.outputName())] = values);
        InMemoryTensors memory = new InMemoryTensors();
        for (int i = 0; i < tensors.size(); i++) {
            PlannedTensor t = tensors.get(i);
            memory.putFloats(t.outputName(), t.outputDtype(), t.outputShape(), results[i]);
            results[i] = null;
        }
        return memory;
    }

    /** Where a merged tensor goes. */
    @FunctionalInterface
    private interface Sink {
        void accept(PlannedTensor tensor, float[] values);
    }

    private static void run(MergePlan plan, Options options, EventListener events, Sink sink) {
        MergeContext context = new MergeContext(new CounterRandom(options.seed()), events);
        Optional<DType> castTo = plan.config().dtype().map(DTypeSetting::dtype);
        List<BudgetedExecutor.Job> jobs = new ArrayList<>();
        for (PlannedTensor t : plan.tensors()) {
            long memory = t.inputArrayBytes() + plan.method().workingBytes(t.spec());
            jobs.add(new BudgetedExecutor.Job(t.outputName(), memory, t.inputBytes(),
                    () -> sink.accept(t, mergeOne(plan, t, castTo, context))));
        }
        new BudgetedExecutor(options.threads(), options.memoryBudget(), events, "merge").run(jobs);
    }

    private static float[] mergeOne(MergePlan plan, PlannedTensor t, Optional<DType> castTo, MergeContext context) {
        List<float[]> values = new ArrayList<>(t.spec().size());
        for (int i = 0; i < t.spec().size(); i++) {
            LoadedModel model = plan.models().get(t.spec().input(i).modelIndex());
            float[] v = model.weights().floats(t.storedNames().get(i));
            model.weights().release(t.storedNames().get(i));
            castTo.ifPresent(d -> roundTo(v, d));
            values.add(v);
        }
        Optional<MergedTensor> merged = plan.method().merge(new TensorMergeInput(t.spec(), values), context);
        if (merged.isEmpty()) {
            throw new IllegalStateException("merge method " + plan.method().name() + " dropped tensor "
                    + t.outputName() + " although the plan keeps it");
        }
        MergedTensor m = merged.get();
        if (!m.shape().equals(t.outputShape())) {
            throw new IllegalStateException("merge method " + plan.method().name() + " returned shape " + m.shape()
                    + " for " + t.outputName() + ", planned " + t.outputShape());
        }
        for (float f : m.values()) {
            if (!Float.isFinite(f)) {
                throw new RunException("the merge of " + t.outputName() + " produced " + f,
                        "check the weights: with normalize, weights that sum to zero divide by zero");
            }
        }
        return m.values();
    }

    /** Emulates mergekit's cast of every input to the config's {@code dtype} when it is loaded. */
    private static void roundTo(float[] v, DType dtype) {
        switch (dtype) {
            case BF16 -> {
                for (int i = 0; i < v.length; i++) {
                    v[i] = HalfFloats.bf16ToFloat(HalfFloats.floatToBf16(v[i]));
                }
            }
            case F16 -> {
                for (int i = 0; i < v.length; i++) {
                    v[i] = HalfFloats.f16ToFloat(HalfFloats.floatToF16(v[i]));
                }
            }
            default -> {
            }
        }
    }
}
