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
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * One thread merging one large tensor of three bf16 models (base + two) with linear, ties and dare_ties, next to a
 * plain pass over the same input bytes in the same run. The plain pass sums the bf16 inputs as 8-byte words (what
 * the read benchmark does); "decode" widens the three inputs to float32 (into reused arrays); each kernel line is
 * the kernel alone on decoded copies. The ratio is plain / (decode + kernel); the targets for whole merges
 * (all threads, including writing) are linear ≥ 0.50 and ties/dare_ties ≥ 0.25 of plain-read throughput.
 *
 * <p>Times are the thread's CPU time, best of the rounds after a warm-up round, so that a busy shared machine does
 * not skew them. Run: {@code bench/run.sh mergeKernel [--elements 16777216] [--rounds 5]}.
 */
public final class MergeKernelBenchmark {

    private static volatile double sink;

    public static void main(String[] args) {
        BenchArgs a = new BenchArgs(args);
        int n = (int) a.number("elements", 1 << 24);
        int rounds = (int) a.number("rounds", 5);
        Shape shape = Shape.of(n / 4096, 4096);
        SplittableRandom random = new SplittableRandom(1);
        float[][] decoded = new float[3][n];
        for (int i = 0; i < n; i++) {
            decoded[0][i] = (float) (random.nextGaussian() * 0.02);
        }
        for (int m = 1; m < 3; m++) {
            for (int i = 0; i < n; i++) {
                decoded[m][i] = decoded[0][i] + (float) (random.nextGaussian() * 0.002);
            }
        }
        List<MemorySegment> inputs = new ArrayList<>();
        for (float[] values : decoded) {
            inputs.add(Conversions.encode(values, DType.BF16));
        }
        long bytes = 3L * n * 2;
        System.out.printf(Locale.ROOT, "3 x %d bf16 elements (%.1f MB in), %d rounds, thread CPU time, best of each%n",
                n, bytes / 1e6, rounds);
        double plain = best(rounds, () -> plainPass(inputs), () -> { });
        report("plain pass", bytes, plain, plain);
        double decode = best(rounds, () -> {
            for (int m = 0; m < 3; m++) {
                Conversions.toFloats(inputs.get(m), DType.BF16, 0, decoded[m], 0, n);
            }
        }, () -> { });
        report("decode to float32", bytes, decode, plain);
        float[][] work = new float[3][n];
        for (String name : new String[] {"linear", "ties", "dare_ties"}) {
            MergeMethod method = MergeMethods.get(name);
            TensorMergeSpec spec = spec(method, shape);
            double kernel = best(rounds, () -> {
                TensorMergeInput in = new TensorMergeInput(spec, List.of(work[0], work[1], work[2]));
                float[] out = method.merge(in, new MergeContext(new CounterRandom(0), EventListener.NONE))
                        .orElseThrow().values();
                sink += out[n / 2];
            }, () -> {
                for (int m = 0; m < 3; m++) {
                    System.arraycopy(decoded[m], 0, work[m], 0, n);
                }
            });
            report(name + " kernel", bytes, kernel, plain);
            report(name + " decode + kernel", bytes, decode + kernel, plain);
        }
    }

    private static TensorMergeSpec spec(MergeMethod method, Shape shape) {
        ParameterValues params = ParameterValues.of("weight", 1.0, "density", 0.5);
        List<InputTensor> inputs = new ArrayList<>();
        for (int m = 0; m < 3; m++) {
            boolean baseWithoutWeight = m == 0 && !method.name().equals("linear");
            inputs.add(new InputTensor(m, "m" + m, "w", shape, baseWithoutWeight ? ParameterValues.empty() : params));
        }
        return new TensorMergeSpec("model.layers.0.mlp.up_proj.weight", false, false, inputs, 0,
                ParameterValues.empty());
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

    /** The best CPU time of {@code work} over the rounds after a warm-up round; {@code setup} runs untimed before. */
    private static double best(int rounds, Runnable work, Runnable setup) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        double best = Double.MAX_VALUE;
        for (int r = 0; r < rounds + 1; r++) {
            setup.run();
            long start = threads.getCurrentThreadCpuTime();
            work.run();
            double s = (threads.getCurrentThreadCpuTime() - start) / 1e9;
            if (r > 0) {
                best = Math.min(best, s);
            }
        }
        return best;
    }

    private static void report(String what, long bytes, double seconds, double plainSeconds) {
        System.out.printf(Locale.ROOT, "%-26s %8.3f s  %6.2f GB/s  ratio %.2f%n", what, seconds, bytes / seconds / 1e9,
                plainSeconds / seconds);
    }
}
