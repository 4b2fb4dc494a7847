package dev.evomerge.merge.method;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.evomerge.diag.RunException;
import dev.evomerge.merge.CounterRandom;
import dev.evomerge.merge.InputTensor;
import dev.evomerge.merge.MergeContext;
import dev.evomerge.merge.ParameterValues;
import dev.evomerge.merge.TensorMergeInput;
import dev.evomerge.merge.TensorMergeSpec;
import dev.evomerge.tensor.Shape;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The stochastic task-vector methods (DARE, DELLA) through the method API: acceptance check 9 of
 * docs/mergekit-semantics.md §6 (kept fraction, exact L1 rescale, seeded reruns) on a large tensor.
 */
class DareMergeTest {

    private static final int N = 400_000;

    private static float[] gaussian(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] v = new float[N];
        for (int i = 0; i < N; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return v;
    }

    private static float[] merge(MergeMethod method, long seed, float[] base, float[] x, double density) {
        return Inputs.tensor("model.layers.3.mlp.down_proj.weight").base(base).model(x, "weight", 1, "density", density)
                .merge(method, seed).values();
    }

    @Test
    void dareLinear_densityHalf_keepsHalfWithinOnePercentAndMatchesL1() {
        float[] base = gaussian(1);
        float[] x = gaussian(2);
        float[] out = merge(new DareLinearMerge(), 0, base, x, 0.5);
        double l1In = 0;
        double l1Out = 0;
        long kept = 0;
        for (int i = 0; i < N; i++) {
            double in = (double) x[i] - base[i];
            double delta = (double) out[i] - base[i];
            l1In += Math.abs((float) in);
            l1Out += Math.abs(delta);
            kept += out[i] != base[i] ? 1 : 0;
        }
        assertEquals(0.5, kept / (double) N, 0.005);
        assertEquals(l1In, l1Out, l1In * 1e-5);
    }

    @Test
    void dareLinear_noRescale_keepsExactlyTheElementsWhoseDrawIsBelowDensity() {
        float[] base = gaussian(11);
        float[] x = gaussian(12);
        double density = 0.37;
        TensorMergeSpec spec = new TensorMergeSpec("w", false, false, List.of(
                new InputTensor(0, "base", "w", Shape.of(N), ParameterValues.empty()),
                new InputTensor(1, "x", "w", Shape.of(N), ParameterValues.of("weight", 1, "density", density))),
                0, ParameterValues.of("rescale", false));
        float[] out = new DareLinearMerge().merge(new TensorMergeInput(spec, List.of(base.clone(), x.clone())),
                context()).orElseThrow().values();
        CounterRandom.Draws draws = new CounterRandom(7).draws("w", 1);
        for (int i = 0; i < N; i++) {
            boolean kept = draws.uniformFloat(i) < (float) density;
            float expected = kept ? base[i] + (x[i] - base[i]) : base[i];
            assertEquals(expected, out[i], 0f, "element " + i);
        }
    }

    @Test
    void dareTies_sameSeedIdentical_otherSeedDiffers() {
        float[] base = gaussian(3);
        float[] x = gaussian(4);
        float[] first = merge(new DareTiesMerge(), 42, base, x, 0.3);
        float[] again = merge(new DareTiesMerge(), 42, base, x, 0.3);
        float[] other = merge(new DareTiesMerge(), 43, base, x, 0.3);
        assertArrayEquals(first, again, 0f);
        assertFalse(Arrays.equals(first, other));
    }

    @Test
    void dare_maskDependsOnModelIndexNotPosition() {
        float[] base = gaussian(5);
        float[] x = gaussian(6);
        DareLinearMerge dare = new DareLinearMerge();
        float[] asModel1 = dare.merge(input(base, x, 1), context()).orElseThrow().values();
        float[] asModel1Again = dare.merge(input(base, x, 1), context()).orElseThrow().values();
        float[] asModel2 = dare.merge(input(base, x, 2), context()).orElseThrow().values();
        assertArrayEquals(asModel1, asModel1Again, 0f);
        assertFalse(Arrays.equals(asModel1, asModel2));
    }

    private static TensorMergeInput input(float[] base, float[] x, int modelIndex) {
        TensorMergeSpec spec = new TensorMergeSpec("w", false, false, List.of(
                new InputTensor(0, "base", "w", Shape.of(N), ParameterValues.empty()),
                new InputTensor(modelIndex, "x", "w", Shape.of(N), ParameterValues.of("weight", 1, "density", 0.5))),
                0, ParameterValues.empty());
        return new TensorMergeInput(spec, List.of(base.clone(), x.clone()));
    }

    private static MergeContext context() {
        return new MergeContext(new CounterRandom(7), event -> { });
    }

    @Test
    void dareTies_concurrentMergesOfOneTensor_allIdentical() throws Exception {
        float[] base = gaussian(9);
        float[] x = gaussian(10);
        float[] expected = merge(new DareTiesMerge(), 5, base, x, 0.4);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<float[]>> results = new java.util.ArrayList<>();
            for (int t = 0; t < 8; t++) {
                results.add(pool.submit(() -> merge(new DareTiesMerge(), 5, base, x, 0.4)));
            }
            for (java.util.concurrent.Future<float[]> r : results) {
                assertArrayEquals(expected, r.get(), 0f);
            }
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void dare_negativeDensity_failsCheck() {
        Inputs in = Inputs.tensor().base(new float[4]).model(new float[4], "weight", 1, "density", -0.1);
        RunException e = assertThrows(RunException.class, () -> new DareLinearMerge().check(in.spec()));
        assertTrue(e.getMessage().contains("is negative"), e.getMessage());
    }

    @Test
    void della_densityHalf_keepsHalfAndMatchesL1() {
        float[] base = new float[N];
        float[] x = gaussian(8);
        float[] out = Inputs.tensor().base(Shape.of(400, 1000), base).model(Shape.of(400, 1000), x, "weight", 1,
                "density", 0.5, "epsilon", 0.2).merge(new DellaLinearMerge()).values();
        long kept = Arrays.stream(box(out)).filter(v -> v != 0).count();
        assertEquals(0.5, kept / (double) N, 0.005);
        assertEquals(Reductions.sumAbs(x), Reductions.sumAbs(out), Reductions.sumAbs(x) * 1e-5);
    }

    @Test
    void della_defaults_normalizeAndRescaleOn() {
        DellaMerge della = new DellaMerge();
        assertEquals(1.0, della.globalParameters().get(1).defaultValue().orElseThrow());
        assertEquals(1.0, della.globalParameters().get(2).defaultValue().orElseThrow());
        assertTrue(della.stochastic());
    }

    @Test
    void della_epsilonTooLarge_failsCheck() {
        Inputs in = Inputs.tensor().base(new float[4]).model(new float[4], "weight", 1, "density", 0.66,
                "epsilon", 1.35);
        RunException e = assertThrows(RunException.class, () -> new DellaMerge().check(in.spec()));
        assertTrue(e.getMessage().contains("density ± epsilon outside (0, 1)"), e.getMessage());
    }

    private static double[] box(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return d;
    }
}
