package dev.evomerge.bench;

import dev.evomerge.event.EventListener;
import dev.evomerge.merge.CounterRandom;
import dev.evomerge.merge.InputTensor;
import dev.evomerge.merge.MergeContext;
import dev.evomerge.merge.ParameterValues;
import dev.evomerge.merge.TensorMergeInput;
import dev.evomerge.merge.TensorMergeSpec;
import dev.evomerge.merge.method.MergeMethod;
import dev.evomerge.merge.method.MergeMethods;
import dev.evomerge.tensor.Conversions;
import dev.evomerge.tensor.DType;
import dev.evomerge.tensor.Shape;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * One thread merging one large tensor of three bf16 models (base + two) with linear, ties and dare_ties, next to a
 * plain pass over the same input bytes in the same run: the plain pass sums the bf16 inputs as 8-byte words (what
 * the read benchmark does), each merge decodes the three inputs to float32 and runs the kernel. Prints input
 * throughput (GB/s of bf16 bytes) and the ratio to the plain pass; the targets for whole merges are
 * linear ≥ 0.50 and ties/dare_ties ≥ 0.25 of plain-read throughput.
 *
 * <p>Run: {@code bench/run.sh mergeKernel [--elements 16777216] [--rounds 5]}.
 */
public final class MergeKernelBenchmark {

    private static volatile double sink;

    public static void main(String[] args) {
        BenchArgs a = new BenchArgs(args);
        int n = (int) a.number("elements", 1 << 24);
        int rounds = (int) a.number("rounds", 5);
        Shape shape = Shape.of(n / 4096, 4096);
        List<MemorySegment> inputs = new ArrayList<>();
        SplittableRandom random = new SplittableRandom(1);
        float[] base = new float[n];
        for (int i = 0; i < n; i++) {
            base[i] = (float) (random.nextGaussian() * 0.02);
        }
        inputs.add(Conversions.encode(base, DType.BF16));
        for (int m = 0; m < 2; m++) {
            float[] x = new float[n];
            for (int i = 0; i < n; i++) {
                x[i] = base[i] + (float) (random.nextGaussian() * 0.002);
            }
            inputs.add(Conversions.encode(x, DType.BF16));
        }
        long bytes = 3L * n * 2;
        System.out.printf(Locale.ROOT, "3 x %d bf16 elements (%.1f MB in), %d rounds, best of each%n", n,
                bytes / 1e6, rounds);
        double plain = best(rounds, () -> plainPass(inputs));
        report("plain pass", bytes, plain, plain);
        for (String[] c : new String[][] {{"linear", "weight", "1"}, {"ties", "density", "0.5"},
                {"dare_ties", "density", "0.5"}}) {
            MergeMethod method = MergeMethods.get(c[0]);
            ParameterValues params = ParameterValues.of("weight", 1.0, c[1], Double.parseDouble(c[2]));
            double seconds = best(rounds, () -> merge(method, shape, inputs, params));
            report(c[0] + " (decode + kernel)", bytes, seconds, plain);
        }
    }

    private static void merge(MergeMethod method, Shape shape, List<MemorySegment> inputs, ParameterValues p) {
        int n = Math.toIntExact(shape.numel());
        List<InputTensor> specInputs = new ArrayList<>();
        List<float[]> arrays = new ArrayList<>();
        for (int m = 0; m < inputs.size(); m++) {
            boolean baseWithoutWeight = m == 0 && !method.name().equals("linear");
            specInputs.add(new InputTensor(m, "m" + m, "w", shape, baseWithoutWeight ? ParameterValues.empty() : p));
            float[] values = new float[n];
            Conversions.toFloats(inputs.get(m), DType.BF16, 0, values, 0, n);
            arrays.add(values);
        }
        TensorMergeSpec spec = new TensorMergeSpec("model.layers.0.mlp.up_proj.weight", false, false, specInputs, 0,
                ParameterValues.empty());
        float[] out = method.merge(new TensorMergeInput(spec, arrays),
                new MergeContext(new CounterRandom(0), EventListener.NONE)).orElseThrow().values();
        sink += out[n / 2];
    }

    private static void plainPass(List<MemorySegment> inputs) {
        long sum = 0;
        for (MemorySegment s : inputs) {
            long words = s.byteSize() / 8;
            for (long i = 0; i < words; i++) {
                sum += s.getAtIndex(ValueLayout.JAVA_LONG_UNALIGNED, i);
            }
        }
        sink += sum;
    }

    private static double best(int rounds, Runnable work) {
        double best = Double.MAX_VALUE;
        for (int r = 0; r < rounds + 1; r++) {
            long start = System.nanoTime();
            work.run();
            double s = (System.nanoTime() - start) / 1e9;
            if (r > 0) {
                best = Math.min(best, s);
            }
        }
        return best;
    }

    private static void report(String what, long bytes, double seconds, double plainSeconds) {
        System.out.printf(Locale.ROOT, "%-28s %8.3f s  %6.2f GB/s  ratio %.2f%n", what, seconds, bytes / seconds / 1e9,
                plainSeconds / seconds);
    }
}
