package dev.evomerge.eval.task;

/**
 * Python's {@code random.Random} (the Mersenne Twister MT19937, seeded from an integer as CPython seeds it) and the
 * two methods lm-evaluation-harness's few-shot sampler uses: {@code randbelow} and {@code sample}. With the same seed
 * it draws the same numbers as Python, so few-shot examples are the ones lm-evaluation-harness picks.
 *
 * <p>Not thread-safe (it is a stream); each sampler owns one.
 */
final class PythonRandom {

    private static final int N = 624;
    private static final int M = 397;

    private final int[] mt = new int[N];
    private int index = N + 1;

    /** {@code random.Random(seed)} for a non-negative seed below 2^63. */
    PythonRandom(long seed) {
        if (seed < 0) {
            throw new IllegalArgumentException("seed must be >= 0, got " + seed);
        }
        // CPython splits abs(seed) into 32-bit words, least significant first
        int[] key = seed >>> 32 == 0 ? new int[] {(int) seed} : new int[] {(int) seed, (int) (seed >>> 32)};
        initByArray(key);
    }

    private void initGenrand(int s) {
        mt[0] = s;
        for (int i = 1; i < N; i++) {
            mt[i] = 1812433253 * (mt[i - 1] ^ (mt[i - 1] >>> 30)) + i;
        }
        index = N;
    }

    private void initByArray(int[] key) {
        initGenrand(19650218);
        int i = 1;
        int j = 0;
        for (int k = Math.max(N, key.length); k > 0; k--) {
            mt[i] = (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >>> 30)) * 1664525)) + key[j] + j;
            i++;
            j++;
            if (i >= N) {
                mt[0] = mt[N - 1];
                i = 1;
            }
            if (j >= key.length) {
                j = 0;
            }
        }
        for (int k = N - 1; k > 0; k--) {
            mt[i] = (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >>> 30)) * 1566083941)) - i;
            i++;
            if (i >= N) {
                mt[0] = mt[N - 1];
                i = 1;
            }
        }
        mt[0] = 0x80000000;
    }

    /** The next 32 random bits, as an unsigned value. */
    long nextUint32() {
        if (index >= N) {
            for (int k = 0; k < N; k++) {
                int y = (mt[k] & 0x80000000) | (mt[(k + 1) % N] & 0x7fffffff);
                mt[k] = mt[(k + M) % N] ^ (y >>> 1) ^ ((y & 1) != 0 ? 0x9908b0df : 0);
            }
            index = 0;
        }
        int y = mt[index++];
        y ^= y >>> 11;
        y ^= (y << 7) & 0x9d2c5680;
        y ^= (y << 15) & 0xefc60000;
        y ^= y >>> 18;
        return y & 0xffffffffL;
    }

    /** {@code getrandbits(k)} for 1 <= k <= 32. */
    long getRandBits(int k) {
        return nextUint32() >>> (32 - k);
    }

    /** {@code _randbelow(n)}: uniform in [0, n), by rejection of {@code n.bit_length()}-bit draws. */
    int randBelow(int n) {
        if (n <= 0) {
            return 0;
        }
        int k = 32 - Integer.numberOfLeadingZeros(n);
        long r = getRandBits(k);
        while (r >= n) {
            r = getRandBits(k);
        }
        return (int) r;
    }

    /**
     * {@code sample(range(n), k)}: the indices Python's {@code random.sample} picks from a population of n, in
     * order of selection.
     */
    int[] sample(int n, int k) {
        if (k < 0 || k > n) {
            throw new IllegalArgumentException("sample larger than population or negative: " + k + " of " + n);
        }
        int[] result = new int[k];
        int setSize = 21;
        if (k > 5) {
            setSize += (int) Math.pow(4, Math.ceil(Math.log(k * 3.0) / Math.log(4)));
        }
        if (n <= setSize) {
            int[] pool = new int[n];
            for (int i = 0; i < n; i++) {
                pool[i] = i;
            }
            for (int i = 0; i < k; i++) {
                int j = randBelow(n - i);
                result[i] = pool[j];
                pool[j] = pool[n - i - 1];
            }
        } else {
            java.util.Set<Integer> selected = new java.util.HashSet<>();
            for (int i = 0; i < k; i++) {
                int j = randBelow(n);
                while (selected.contains(j)) {
                    j = randBelow(n);
                }
                selected.add(j);
                result[i] = j;
            }
        }
        return result;
    }
}
