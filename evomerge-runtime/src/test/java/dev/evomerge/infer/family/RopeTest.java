package dev.evomerge.infer.family;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class RopeTest {

    @Test
    void inverseFrequencies_default_thetaToTheMinusTwoIOverDim() {
        float[] inv = Rope.of(10000.0).inverseFrequencies(8);
        assertArrayEquals(new float[] {1.0f, 0.1f, 0.01f, 0.001f}, inv, 1e-9f);
    }

    @Test
    void inverseFrequencies_linear_dividedByFactor() {
        float[] inv = new Rope(Rope.Type.LINEAR, 10000.0, 4.0, 0, 0, 0).inverseFrequencies(8);
        assertArrayEquals(new float[] {0.25f, 0.025f, 0.0025f, 0.00025f}, inv, 1e-9f);
    }

    @Test
    void inverseFrequencies_llama3_keepsHighDividesLowBlendsMedium() {
        // wavelengths 2π/inv: 6.28, 62.8, 628, 6283; with original 128: high-frequency limit 32, low 128
        Rope rope = new Rope(Rope.Type.LLAMA3, 10000.0, 8.0, 1.0, 4.0, 128);
        float[] inv = rope.inverseFrequencies(8);
        assertEquals(1.0f, inv[0], "wavelength 6.28 < 32: kept");
        assertEquals(0.01f / 8, inv[2], 1e-10f, "wavelength 628 > 128: divided by the factor");
        assertEquals(0.001f / 8, inv[3], 1e-10f);
        double wavelen = 2 * Math.PI / 0.1;
        double smooth = (128 / wavelen - 1.0) / (4.0 - 1.0);
        assertEquals((1 - smooth) * 0.1 / 8 + smooth * 0.1, inv[1], 1e-8, "62.8 in between: blended");
    }

    @Test
    void constructor_badValues_refused() {
        assertThrows(IllegalArgumentException.class, () -> Rope.of(0));
        assertThrows(IllegalArgumentException.class, () -> new Rope(Rope.Type.LLAMA3, 1e4, 8, 4, 1, 128));
        assertThrows(IllegalArgumentException.class, () -> Rope.of(1e4).inverseFrequencies(7));
    }
}
