package dev.evomerge.merge.method;

import static dev.evomerge.merge.method.Inputs.f;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.evomerge.merge.CounterRandom;
import dev.evomerge.merge.MergeContext;
import dev.evomerge.event.EventListener;
import java.util.Arrays;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The fast kernels (fused, blocked, branch-free loops) against plain scalar references written from the documented
 * float32 operation order, one element at a time: both the whole-tensor path and the block kernel must give the
 * reference's bytes. Lengths are not multiples of the 4096-element blocks, so tails are covered.
 */
class KernelScalarReferenceTest {

    private static final int N = 3 * BlockKernel.ALIGNMENT + 517;

    @Test
    void linear_weightedAndNormalized_matchesScalarReferenceBitForBit() {
        float[][] x = {random(N, 1), random(N, 2), random(N, 3)};
        float[] w = {0.5f, 0.3f, -0.15f};
        Inputs in = Inputs.tensor().model(x[0], "weight", w[0]).model(x[1], "weight", w[1])
                .model(x[2], "weight", w[2]);
        float[] expected = new float[N];
        for (int e = 0; e < N; e++) {
            float acc = x[0][e] * w[0];
            float sum = w[0];
            for (int i = 1; i < x.length; i++) {
                acc += w[i] * x[i][e];
                sum += w[i];
            }
            expected[e] = acc / sum;
        }
        assertBothPaths(new LinearMerge(), in, expected);
    }

    @Test
    void taskArithmetic_normalizeAndLambda_matchesScalarReferenceBitForBit() {
        float[] base = random(N, 4);
        float[][] x = {random(N, 5), random(N, 6)};
        float[] w = {0.7f, 0.6f};
        float lambda = 0.9f;
        Inputs in = Inputs.tensor().base(base).model(x[0], "weight", w[0]).model(x[1], "weight", w[1])
                .global("normalize", 1, "lambda", (double) lambda);
        float divisor = 0f + w[0] + w[1];
        float[] expected = new float[N];
        for (int e = 0; e < N; e++) {
            float mixed = 0f;
            for (int j = 0; j < x.length; j++) {
                mixed += (x[j][e] - base[e]) * 1f * w[j];
            }
            expected[e] = base[e] + mixed / divisor * lambda;
        }
        assertBothPaths(new TaskArithmeticMerge(), in, expected);
    }

    @Test
    void ties_magnitudePruningAndSignElection_matchesScalarReferenceBitForBit() {
        float[] base = random(N, 7);
        float[][] x = {random(N, 8), random(N, 9), random(N, 10)};
        float[] w = {1f, 0.5f, 0.8f};
        double density = 0.3;
        Inputs in = Inputs.tensor().base(base).model(x[0], "weight", w[0], "density", density)
                .model(x[1], "weight", w[1], "density", density).model(x[2], "weight", w[2], "density", density);
        float[][] d = new float[x.length][];
        for (int j = 0; j < x.length; j++) {
            d[j] = new float[N];
            for (int e = 0; e < N; e++) {
                d[j][e] = x[j][e] - base[e];
            }
            keepLargest(d[j], (long) (density * N));
        }
        float[] expected = new float[N];
        for (int e = 0; e < N; e++) {
            float vote = 0f;
            for (int j = 0; j < d.length; j++) {
                vote += d[j][e] * 1f * w[j];
            }
            float sign = vote >= 0f ? 1f : -1f;
            float mixed = 0f;
            float div = 0f;
            for (int j = 0; j < d.length; j++) {
                float wd = d[j][e] * 1f * w[j];
                boolean agrees = wd != 0f && Math.signum(wd) == sign;
                mixed += agrees ? wd : 0f;
                div += agrees ? w[j] : 0f;
            }
            expected[e] = base[e] + mixed / (div == 0f ? 1f : div);
        }
        assertBothPaths(new TiesMerge(), in, expected);
    }

    /** Keeps the {@code k} elements of largest magnitude, the lower index first among equals; zeroes the rest. */
    private static void keepLargest(float[] v, long k) {
        Integer[] order = IntStream.range(0, v.length).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.<Integer>comparingDouble(i -> -Math.abs(v[i])).thenComparingInt(i -> i));
        for (int r = (int) k; r < order.length; r++) {
            v[order[r]] = 0f;
        }
    }

    /** The whole-tensor merge and the block kernel, driven as the executor drives it, both give {@code expected}. */
    private static void assertBothPaths(MergeMethod method, Inputs in, float[] expected) {
        assertArrayEquals(expected, in.mergeValues(method), method + " whole tensor");
        MergeContext context = new MergeContext(new CounterRandom(0), EventListener.NONE);
        BlockKernel kernel = method.blockKernel(in.spec(), context).orElseThrow();
        float[][] all = new float[in.spec().size()][];
        for (int i = 0; i < all.length; i++) {
            all[i] = in.input().values(i);
        }
        float[] out = new float[N];
        int block = BlockKernel.ALIGNMENT;
        for (int pass = 0; pass < kernel.passes() - 1; pass++) {
            for (int from = 0; from < N; from += block) {
                kernel.observe(pass, copy(all, from, Math.min(block, N - from)), from, Math.min(block, N - from));
            }
            kernel.passDone(pass);
        }
        float[] piece = new float[block];
        for (int from = 0; from < N; from += block) {
            int len = Math.min(block, N - from);
            kernel.merge(copy(all, from, len), from, len, piece);
            System.arraycopy(piece, 0, out, from, len);
        }
        assertArrayEquals(expected, out, method + " block kernel");
    }

    private static float[][] copy(float[][] all, int from, int len) {
        float[][] out = new float[all.length][];
        for (int i = 0; i < all.length; i++) {
            out[i] = Arrays.copyOfRange(all[i], from, from + len);
        }
        return out;
    }

    private static float[] random(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            // a few exact zeros and repeated magnitudes, which the election and the pruning treat specially
            v[i] = i % 97 == 0 ? 0f : (float) (r.nextGaussian() * 0.02);
        }
        return v;
    }

    @Test
    void reference_helpers_pruneAsDocumented() {
        float[] v = f(0.1, -0.3, 0.3, 0.2);
        keepLargest(v, 2);
        assertArrayEquals(f(0, -0.3, 0.3, 0), v);
    }
}
