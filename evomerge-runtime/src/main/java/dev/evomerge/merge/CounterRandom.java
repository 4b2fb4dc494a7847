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
 * element. {@link Draws#uniformFloat(long)}, which sparsification draws for every element of a tensor, is made in
 * 32-bit arithmetic so that whole blocks of it are computed in vector registers: the element index goes through a
 * Weyl sequence offset by the key's low half, is XORed with its high half and mixed by Wellons' {@code lowbias32}
 * finaliser (a bijection of 32-bit values with near-ideal avalanche), and the top 24 bits are the draw.
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
            return draw24(weylValue(element)) * 0x1.0p-24f;
        }

        /**
         * Fills {@code dst[0, count)} with the 24-bit integers behind {@link #uniformFloat} of elements
         * {@code fromElement ..} ({@code uniformFloat(e) == k(e) · 2⁻²⁴}), for counts up to {@link #CHUNK}.
         */
        public void fillUniform24(long fromElement, int[] dst, int count) {
            if (count > CHUNK) {
                throw new IllegalArgumentException(count + " draws at once, more than " + CHUNK);
            }
            if ((fromElement & 0xFFFFFFFFL) + count > 1L << 32) {
                // the chunk crosses into the next 2^32 elements, whose Weyl values have another offset
                for (int i = 0; i < count; i++) {
                    dst[i] = draw24(weylValue(fromElement + i));
                }
                return;
            }
            int start = weylValue(fromElement) + (int) key;
            int highKey = (int) (key >>> 32);
            for (int i = 0; i < count; i++) {
                // the offsets come from an array and every array is indexed alike, so the JIT vectorises the loop
                dst[i] = lowbias32((start + WEYL_RAMP[i]) ^ highKey) >>> 8;
            }
        }

        /** The draw of an element whose Weyl value (index times {@link #WEYL_32}, plus the high part) is w. */
        private int draw24(int w) {
            return lowbias32((w + (int) key) ^ (int) (key >>> 32)) >>> 8;
        }

        /** Element e's Weyl value: its low 32 bits times the golden ratio, plus a multiple of its high bits. */
        private static int weylValue(long element) {
            return (int) element * WEYL_32 + (int) (element >>> 32) * 0x2C1B3C6D;
        }
    }

    /** The 32-bit golden ratio, odd: element i's Weyl value is i times it. */
    private static final int WEYL_32 = 0x9E3779B9;

    /** The most draws {@link Draws#fillUniform24} makes at once. */
    public static final int CHUNK = 4096;

    /** The Weyl values of the element offsets 0, 1, 2, … of a chunk of {@link Draws#fillUniform24}. */
    private static final int[] WEYL_RAMP = java.util.stream.IntStream.range(0, CHUNK).map(i -> i * WEYL_32).toArray();

    /** Wellons' lowbias32 (hash-prospector): an invertible 32-bit mixer with low avalanche bias. */
    static int lowbias32(int h) {
        h ^= h >>> 16;
        h *= 0x7FEB352D;
        h ^= h >>> 15;
        h *= 0x846CA68B;
        h ^= h >>> 16;
        return h;
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
