package dev.evomerge.merge;

import java.nio.charset.StandardCharsets;

/**
 * The counter-based generator that stochastic merge methods draw from: each draw is a pure function of
 * (seed, output tensor name, model index, element index), so a merge gives the same bytes whatever the thread
 * count, the order tensors are processed in, or the machine. There is no stream state to share or advance.
 *
 * <p>Construction: the tensor name is hashed (64-bit FNV-1a over its UTF-8 bytes), and seed, name hash and model
 * index are folded into a 64-bit stream key through SplitMix64's finaliser (Stafford's "mix 13"). Draw {@code j}
 * of a stream is that finaliser applied to {@code key + (j + 1) * 0x9E3779B97F4A7C15}, which is SplitMix64
 * (Steele, Lea and Flood, "Fast splittable pseudorandom number generators", OOPSLA 2014, the generator behind
 * {@link java.util.SplittableRandom}) started at the stream key. {@link Draws#uniform(long)} uses one draw per
 * element; {@link Draws#uniformFloat(long)} takes 24 bits from one half of draw {@code element / 2}, so two
 * neighbouring elements share one draw.
 *
 * <p>Immutable and thread-safe.
 *
 * @param seed the run's seed ({@code --seed}, 0 by default)
 */
public record CounterRandom(long seed) {

    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;
    private static final long FNV_OFFSET = 0xCBF29CE484222325L;
    private static final long FNV_PRIME = 0x100000001B3L;

    /** The draws for one model's input to one output tensor. */
    public Draws draws(String outputTensorName, int modelIndex) {
        long key = mix64(seed ^ 0x243F6A8885A308D3L);
        key = mix64(key ^ nameHash(outputTensorName));
        key = mix64(key ^ (modelIndex * GOLDEN_GAMMA + 0x13198A2E03707344L));
        return new Draws(key);
    }

    /**
     * The uniform draws of one (seed, tensor, model) stream, addressed by element index. Immutable and
     * thread-safe.
     *
     * @param key the stream key derived by {@link CounterRandom#draws(String, int)}
     */
    public record Draws(long key) {

        /** 64 random bits for counter {@code j}. */
        public long bits(long j) {
            return mix64(key + (j + 1) * GOLDEN_GAMMA);
        }

        /** A uniform double in [0, 1) with 53 random bits, for element {@code element}. */
        public double uniform(long element) {
            return (bits(element) >>> 11) * 0x1.0p-53;
        }

        /** A uniform float in [0, 1) with 24 random bits, for element {@code element}. */
        public float uniformFloat(long element) {
            long b = bits(element >>> 1);
            int shift = (element & 1) == 0 ? 40 : 8;
            return ((b >>> shift) & 0xFFFFFF) * 0x1.0p-24f;
        }

        /**
         * Fills {@code dst[offset .. offset+count)} with the 24-bit integers behind {@link #uniformFloat} of
         * elements {@code fromElement ..} ({@code uniformFloat(e) == k(e) · 2⁻²⁴}), at one mixing step per two
         * elements.
         */
        public void fillUniform24(long fromElement, int[] dst, int offset, int count) {
            int i = 0;
            long e = fromElement;
            if (count > 0 && (e & 1) == 1) {
                dst[offset] = (int) ((bits(e >>> 1) >>> 8) & 0xFFFFFF);
                i = 1;
                e++;
            }
            for (; i + 1 < count; i += 2, e += 2) {
                long b = bits(e >>> 1);
                dst[offset + i] = (int) ((b >>> 40) & 0xFFFFFF);
                dst[offset + i + 1] = (int) ((b >>> 8) & 0xFFFFFF);
            }
            if (i < count) {
                dst[offset + i] = (int) ((bits(e >>> 1) >>> 40) & 0xFFFFFF);
            }
        }
    }

    /** SplitMix64's output function (Stafford's mix 13): a bijection on 64-bit values with good avalanche. */
    static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static long nameHash(String name) {
        long h = FNV_OFFSET;
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            h = (h ^ (b & 0xFF)) * FNV_PRIME;
        }
        return h;
    }
}
