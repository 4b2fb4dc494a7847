package dev.evomerge.merge;

import dev.evomerge.config.DTypeSetting;
import dev.evomerge.diag.RunException;
import dev.evomerge.event.EventListener;
import dev.evomerge.merge.method.BlockKernel;
import dev.evomerge.tensor.Conversions;
import dev.evomerge.tensor.DType;
import dev.evomerge.tensor.HalfFloats;
import dev.evomerge.tensor.TensorInfo;
import dev.evomerge.tensor.TensorSource;
import dev.evomerge.tensor.io.InMemoryTensors;
import dev.evomerge.tensor.io.ModelWriter;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
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

    /**
     * Merges every tensor into {@code out}, which the caller commits after adding the other files. When the writer
     * hashes its shards as they are written, the tensors are merged in the files' order, so that the hashing keeps
     * pace with the merge instead of waiting for the last small tensor near each file's start.
     */
    public static void toWriter(MergePlan plan, ModelWriter out, Options options, EventListener events) {
        run(plan, options, events, out.digestsShards() ? out.fileOrder() : null, new Sink() {
            @Override
            public void accept(PlannedTensor t, long from, float[] values, int len) {
                out.writeFloats(t.outputName(), from, values, 0, len);
            }

            @Override
            public BlockSink blocks(PlannedTensor t) {
                ModelWriter.TensorWriter w = out.inOrder(t.outputName());
                return (from, values, len) -> w.write(from, values, 0, len);
            }
        }, true, null);
    }

    /** Merges every tensor into memory, in write order, stored in each tensor's output dtype. */
    public static InMemoryTensors toMemory(MergePlan plan, Options options, EventListener events) {
        InMemoryTensors memory = new InMemoryTensors();
        try (MergedFloats merged = toMemory(plan, options, events, new MergeBuffers())) {
            for (PlannedTensor t : plan.tensors()) {
                memory.putFloats(t.outputName(), t.outputDtype(), t.outputShape(),
                        merged.tensors().floats(t.outputName()));
            }
        }
        return memory;
    }

    /**
     * Merges every tensor into arrays from {@code buffers}, inputs decoded into arrays from them too, rounded to
     * each tensor's output dtype: the candidates of a search, merge after merge in the same arrays. The caller
     * closes the result to give the arrays back.
     */
    public static MergedFloats toMemory(MergePlan plan, Options options, EventListener events,
            MergeBuffers buffers) {
        MergedFloats merged = new MergedFloats(buffers);
        float[][] results = new float[plan.tensors().size()][];
        java.util.Map<String, Integer> position = new java.util.HashMap<>();
        for (int i = 0; i < plan.tensors().size(); i++) {
            position.put(plan.tensors().get(i).outputName(), i);
        }
        try {
            run(plan, options, events, null, (t, from, values, len) -> {
                roundTo(values, len, t.outputDtype());
                results[position.get(t.outputName())] = values;
            }, false, buffers);
        } catch (RuntimeException e) {
            for (float[] r : results) {
                if (r != null) {
                    buffers.give(r);
                }
            }
            throw e;
        }
        for (int i = 0; i < results.length; i++) {
            PlannedTensor t = plan.tensors().get(i);
            merged.put(t.outputName(), t.outputShape(), results[i]);
        }
        return merged;
    }

    /** Where merged elements go: {@code values[0, len)} are elements {@code [from, from+len)} of the tensor. */
    @FunctionalInterface
    private interface Sink {
        void accept(PlannedTensor tensor, long from, float[] values, int len);

        /** Where one tensor's blocks go, in element order from one thread: by default, each to {@link #accept}. */
        default BlockSink blocks(PlannedTensor tensor) {
            return (from, values, len) -> accept(tensor, from, values, len);
        }
    }

    /** One tensor's destination: {@code values[0, len)} are its elements {@code [from, from+len)}. */
    @FunctionalInterface
    private interface BlockSink {
        void accept(long from, float[] values, int len);
    }

    /**
     * Elements per block of a block-at-a-time merge: a multiple of {@link BlockKernel#ALIGNMENT}, small enough that a
     * block of every input and the output stay in cache.
     */
    static final int BLOCK_ELEMENTS = 4 * BlockKernel.ALIGNMENT;

    /**
     * @param blocks whether tensors whose method has a {@link BlockKernel} for them are merged a block at a time
     *     (into a sink that takes parts of a tensor)
     */
    /**
     * @param order the order to merge the tensors in, by output name; null for the largest first
     * @param buffers where input arrays come from and go back to; null to allocate them
     */
    private static void run(MergePlan plan, Options options, EventListener events,
            java.util.Comparator<String> order, Sink sink, boolean blocks, MergeBuffers buffers) {
        MergeContext context = new MergeContext(new CounterRandom(options.seed()), events);
        Optional<DType> castTo = plan.config().dtype().map(DTypeSetting::dtype);
        List<BudgetedExecutor.Job> jobs = new ArrayList<>();
        for (PlannedTensor t : plan.tensors()) {
            if (blocks && plan.method().blockKernel(t.spec(), context).isPresent()) {
                // a block of every input and of the output, and per input the scratch of its pruning: a block of
                // draws or the histograms of a magnitude cut (1 MB is ample)
                long memory = (t.spec().size() + 1L) * BLOCK_ELEMENTS * Float.BYTES + t.spec().size() * (1L << 20);
                // the kernel is made when the job runs: what it holds is held only then
                jobs.add(new BudgetedExecutor.Job(t.outputName(), memory, t.inputBytes(),
                        () -> mergeBlocks(plan, t, plan.method().blockKernel(t.spec(), context).orElseThrow(),
                                castTo, sink)));
            } else {
                long memory = t.inputArrayBytes() + plan.method().workingBytes(t.spec());
                jobs.add(new BudgetedExecutor.Job(t.outputName(), memory, t.inputBytes(), () -> {
                    float[] values = mergeOne(plan, t, castTo, context, buffers);
                    sink.accept(t, 0, values, values.length);
                }));
            }
        }
        // the largest tensors first, so that the last jobs are small and no thread waits long on another at the end
        // (every tensor has its own place in the output, so the order changes nothing in it)
        jobs.sort(order != null ? java.util.Comparator.comparing(BudgetedExecutor.Job::name, order)
                : java.util.Comparator.comparingLong(BudgetedExecutor.Job::progressBytes).reversed());
        new BudgetedExecutor(options.threads(), options.memoryBudget(), events, "merge").run(jobs);
    }

    /** One tensor a block at a time, decoding each block of every input straight from the mapped models. */
    private static void mergeBlocks(MergePlan plan, PlannedTensor t, BlockKernel kernel, Optional<DType> castTo,
            Sink sink) {
        int inputs = t.spec().size();
        MemorySegment[] bytes = new MemorySegment[inputs];
        DType[] dtypes = new DType[inputs];
        TensorSource[] sources = new TensorSource[inputs];
        for (int i = 0; i < inputs; i++) {
            String name = t.storedNames().get(i);
            sources[i] = plan.models().get(t.spec().input(i).modelIndex()).weights();
            bytes[i] = sources[i].bytes(name);
            dtypes[i] = sources[i].info(name).orElseThrow().dtype();
        }
        long numel = t.outputShape().numel();
        float[][] block = new float[inputs][BLOCK_ELEMENTS];
        float[] out = new float[BLOCK_ELEMENTS];
        BlockSink destination = sink.blocks(t);
        // the kernel may find after a gathering pass that it needs fewer: passes() is read again after each
        for (int pass = 0; pass < kernel.passes(); pass++) {
            boolean last = pass == kernel.passes() - 1;
            for (long from = 0; from < numel; from += BLOCK_ELEMENTS) {
                int len = (int) Math.min(BLOCK_ELEMENTS, numel - from);
                for (int i = 0; i < inputs; i++) {
                    Conversions.toFloats(bytes[i], dtypes[i], from, block[i], 0, len);
                    if (castTo.isPresent()) {
                        roundTo(block[i], len, castTo.get());
                    }
                }
                if (!last) {
                    kernel.observe(pass, block, from, len);
                    continue;
                }
                kernel.merge(block, from, len, out);
                checkFinite(t, out, len);
                destination.accept(from, out, len);
            }
            if (!last) {
                kernel.passDone(pass);
            }
        }
        for (int i = 0; i < inputs; i++) {
            sources[i].release(t.storedNames().get(i));
        }
    }

    /** Fails the merge when {@code values[0, len)} hold an infinity or NaN. */
    private static void checkFinite(PlannedTensor t, float[] values, int len) {
        // a max over the magnitude bits vectorises where a test per element (or an OR reduction) does not: they
        // reach 0x7F800000 exactly when the exponent is all ones
        MemorySegment bits = MemorySegment.ofArray(values);
        int largest = 0;
        for (int e = 0; e < len; e++) {
            largest = Math.max(largest, bits.getAtIndex(ValueLayout.JAVA_INT, e) & 0x7FFFFFFF);
        }
        if (largest < 0x7F800000) {
            return;
        }
        for (int e = 0; e < len; e++) {
            if (!Float.isFinite(values[e])) {
                throw new RunException("the merge of " + t.outputName() + " produced " + values[e],
                        "check the weights: with normalize, weights that sum to zero divide by zero");
            }
        }
    }

    private static float[] mergeOne(MergePlan plan, PlannedTensor t, Optional<DType> castTo, MergeContext context,
            MergeBuffers buffers) {
        List<float[]> values = new ArrayList<>(t.spec().size());
        for (int i = 0; i < t.spec().size(); i++) {
            TensorSource weights = plan.models().get(t.spec().input(i).modelIndex()).weights();
            String name = t.storedNames().get(i);
            float[] v;
            if (buffers == null) {
                v = weights.floats(name);
                weights.release(name);
            } else {
                v = decodeInto(weights, name, buffers);
            }
            castTo.ifPresent(d -> roundTo(v, v.length, d));
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
        if (buffers != null) {
            for (float[] v : values) {
                if (v != m.values()) {
                    buffers.give(v);
                }
            }
        }
        checkFinite(t, m.values(), m.values().length);
        return m.values();
    }

    /** A tensor's values in an array from {@code buffers}; the source's pages released when it was read. */
    private static float[] decodeInto(TensorSource weights, String name, MergeBuffers buffers) {
        TensorInfo info = weights.info(name).orElseThrow();
        if (!info.dtype().isFloatingPoint() || info.numel() > Integer.MAX_VALUE - 8) {
            return weights.floats(name); // its own clear error
        }
        float[] v = buffers.take((int) info.numel());
        if (buffers.decode(weights, name, info, v)) {
            weights.release(name);
        }
        return v;
    }

    /**
     * Rounds values to a half type: mergekit's cast of every input to the config's {@code dtype} when it is loaded,
     * and a merged tensor held in memory to what its written dtype would hold.
     */
    private static void roundTo(float[] v, int len, DType dtype) {
        switch (dtype) {
            case BF16 -> {
                for (int i = 0; i < len; i++) {
                    v[i] = HalfFloats.bf16ToFloat(HalfFloats.floatToBf16(v[i]));
                }
            }
            case F16 -> {
                for (int i = 0; i < len; i++) {
                    v[i] = HalfFloats.f16ToFloat(HalfFloats.floatToF16(v[i]));
                }
            }
            default -> {
            }
        }
    }
}
