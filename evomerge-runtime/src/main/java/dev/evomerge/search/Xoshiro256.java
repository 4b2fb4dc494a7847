package dev.evomerge.search;

import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * The search's random generator: xoshiro256** (Blackman and Vigna, "Scrambled linear pseudorandom number
 * generators", 2021) with its whole 256-bit state readable and restorable, so that a checkpoint holds exactly where
 * the stream is. Every optimizer draws all of its randomness from the instance it is given; there is no global
 * generator.
 *
 * <p>Every method that turns raw bits into a value (doubles, bounded integers, Gaussians) is defined here rather than
 * inherited from {@link RandomGenerator}'s defaults, so that a stream resumed from a checkpoint gives the same values
 * whatever the JDK's default algorithms are. Gaussians use Marsaglia's polar method with {@link StrictMath}, so they
 * are the same bits on every machine; a second Gaussian is never cached, so the state is exactly the four words.
 *
 * <p>Not thread-safe: one optimizer owns one instance.
 */
public final class Xoshiro256 implements RandomGenerator {

    private static final double DOUBLE_UNIT = 0x1.0p-53;

    private long s0;
    private long s1;
    private long s2;
    private long s3;

    private Xoshiro256(long s0, long s1, long s2, long s3) {
        if ((s0 | s1 | s2 | s3) == 0) {
            throw new IllegalArgumentException("xoshiro256 state must not be all zero");
        }
        this.s0 = s0;
        this.s1 = s1;
        this.s2 = s2;
        this.s3 = s3;
    }

    /** A generator whose state is expanded from {@code seed} with SplitMix64, as the xoshiro authors recommend. */
    public static Xoshiro256 seeded(long seed) {
        long[] s = new long[4];
        long x = seed;
        for (int i = 0; i < 4; i++) {
            x += 0x9E3779B97F4A7C15L;
            long z = x;
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            s[i] = z ^ (z >>> 31);
        }
        return new Xoshiro256(s[0], s[1], s[2], s[3]);
    }

    /**
     * A generator for one use of a run's seed: the seed mixed with the use's name and keys, then {@link #seeded}.
     * Two uses of one seed (the optimizer, the random start point, ...) get streams that share no draws.
     *
     * @param purpose what the stream is for, e.g. {@code "initial"}
     * @param keys further numbers that tell streams of the same purpose apart (a stage, a generation)
     */
    public static Xoshiro256 derived(long seed, String purpose, long... keys) {
        long h = seed ^ 0x6A09E667F3BCC909L;
        for (int i = 0; i < purpose.length(); i++) {
            h = mix64(h ^ purpose.charAt(i));
        }
        for (long k : keys) {
            h = mix64(h ^ k);
        }
        return seeded(h);
    }

    private static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** A generator continuing from a state returned by {@link #state()}. */
    public static Xoshiro256 ofState(long[] state) {
        if (state.length != 4) {
            throw new IllegalArgumentException("xoshiro256 state has 4 words, got " + state.length);
        }
        return new Xoshiro256(state[0], state[1], state[2], state[3]);
    }

    /** The four state words; {@link #ofState(long[])} continues the stream from exactly here. */
    public long[] state() {
        return new long[] {s0, s1, s2, s3};
    }

    /** An independent generator at the same point of the stream. */
    public Xoshiro256 copy() {
        return new Xoshiro256(s0, s1, s2, s3);
    }

    @Override
    public long nextLong() {
        long result = Long.rotateLeft(s1 * 5, 7) * 9;
        long t = s1 << 17;
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= t;
        s3 = Long.rotateLeft(s3, 45);
        return result;
    }

    @Override
    public int nextInt() {
        return (int) (nextLong() >>> 32);
    }

    @Override
    public boolean nextBoolean() {
        return nextLong() < 0;
    }

    /** Uniform in {@code [0, 1)}, with 53 random bits. */
    @Override
    public double nextDouble() {
        return (nextLong() >>> 11) * DOUBLE_UNIT;
    }

    @Override
    public double nextDouble(double bound) {
        return nextDouble(0.0, bound);
    }

    @Override
    public double nextDouble(double origin, double bound) {
        if (!(origin < bound) || !Double.isFinite(bound - origin)) {
            throw new IllegalArgumentException("need finite origin < bound, got " + origin + ", " + bound);
        }
        double r = origin + nextDouble() * (bound - origin);
        // Rounding can land exactly on bound; the contract is a half-open interval.
        return r < bound ? r : Math.nextDown(bound);
    }

    @Override
    public float nextFloat() {
        return (nextLong() >>> 40) * 0x1.0p-24f;
    }

    /** Uniform in {@code [0, bound)}, without bias (Lemire's multiply-and-reject). */
    @Override
    public int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be > 0, got " + bound);
        }
        long m = (nextLong() >>> 32) * bound;
        long low = m & 0xFFFFFFFFL;
        if (low < bound) {
            long threshold = (0x100000000L - bound) % bound;
            while (low < threshold) {
                m = (nextLong() >>> 32) * bound;
                low = m & 0xFFFFFFFFL;
            }
        }
        return (int) (m >>> 32);
    }

    @Override
    public int nextInt(int origin, int bound) {
        if (origin >= bound) {
            throw new IllegalArgumentException("need origin < bound, got " + origin + ", " + bound);
        }
        long range = (long) bound - origin;
        if (range <= Integer.MAX_VALUE) {
            return origin + nextInt((int) range);
        }
        return (int) (origin + nextLong(range));
    }

    /** Uniform in {@code [0, bound)}, without bias (rejection on the top of the range). */
    @Override
    public long nextLong(long bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be > 0, got " + bound);
        }
        long limit = Long.MAX_VALUE - Long.MAX_VALUE % bound;
        long r;
        do {
            r = nextLong() >>> 1;
        } while (r >= limit);
        return r % bound;
    }

    @Override
    public long nextLong(long origin, long bound) {
        if (origin >= bound || bound - origin <= 0) {
            throw new IllegalArgumentException("need origin < bound within a long range, got " + origin + ", "
                    + bound);
        }
        return origin + nextLong(bound - origin);
    }

    /** Standard normal, Marsaglia's polar method; the second value of each pair is discarded. */
    @Override
    public double nextGaussian() {
        double u;
        double v;
        double s;
        do {
            u = 2.0 * nextDouble() - 1.0;
            v = 2.0 * nextDouble() - 1.0;
            s = u * u + v * v;
        } while (s >= 1.0 || s == 0.0);
        return u * StrictMath.sqrt(-2.0 * StrictMath.log(s) / s);
    }

    @Override
    public double nextGaussian(double mean, double stddev) {
        if (!(stddev >= 0.0)) {
            throw new IllegalArgumentException("stddev must be >= 0, got " + stddev);
        }
        return mean + stddev * nextGaussian();
    }

    @Override
    public double nextExponential() {
        // 1 - u lies in (0, 1], so the logarithm is finite.
        return -StrictMath.log(1.0 - nextDouble());
    }

    @Override
    public String toString() {
        return "Xoshiro256" + Arrays.toString(state());
    }
}
