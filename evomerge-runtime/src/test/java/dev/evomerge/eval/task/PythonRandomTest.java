package dev.evomerge.eval.task;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Draws compared with CPython 3's {@code random.Random} (values printed by Python for these seeds). */
class PythonRandomTest {

    @Test
    void getrandbits32_seed1234_asCPython() {
        // random.Random(1234).getrandbits(32) three times
        PythonRandom r = new PythonRandom(1234);
        assertEquals(4150886329L, r.nextUint32());
        assertEquals(3342196574L, r.nextUint32());
        assertEquals(1892932127L, r.nextUint32());
    }

    @Test
    void seedAbove32Bits_splitIntoWordsAsCPython() {
        // random.Random(2**40 + 5).getrandbits(32)
        assertEquals(2166296868L, new PythonRandom((1L << 40) + 5).nextUint32());
    }

    @Test
    void sampleAndRandbelow_seed1234_asCPython() {
        // random.Random(1234).sample(range(10), 4)
        assertArrayEquals(new int[] {7, 1, 0, 9}, new PythonRandom(1234).sample(10, 4));
        // [random.Random(1234)._randbelow(7) for _ in range(5)], one stream
        PythonRandom r = new PythonRandom(1234);
        int[] drawn = new int[5];
        for (int i = 0; i < drawn.length; i++) {
            drawn[i] = r.randBelow(7);
        }
        assertArrayEquals(new int[] {6, 3, 0, 0, 0}, drawn);
    }

    @Test
    void negativeSeed_refused() {
        assertThrows(IllegalArgumentException.class, () -> new PythonRandom(-1));
    }
}
