package dev.evomerge.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class HalfFloatsTest {

    /** Independent decoding of binary16 from its fields, in exact decimal arithmetic. */
    private static double decodeF16(int bits) {
        int sign = (bits >>> 15) & 1;
        int exp = (bits >>> 10) & 0x1f;
        int frac = bits & 0x3ff;
        double v;
        if (exp == 0x1f) {
            v = frac == 0 ? Double.POSITIVE_INFINITY : Double.NaN;
        } else if (exp == 0) {
            v = frac * Math.pow(2, -24);
        } else {
            v = (1024 + frac) * Math.pow(2, exp - 25);
        }
        return sign == 1 ? -v : v;
    }

    @Test
    void f16ToFloat_all65536Patterns_matchFieldDecoding() {
        for (int bits = 0; bits < 65536; bits++) {
            double expected = decodeF16(bits);
            float actual = HalfFloats.f16ToFloat((short) bits);
            if (Double.isNaN(expected)) {
                assertTrue(Float.isNaN(actual), "pattern " + bits);
            } else {
                assertEquals(expected, actual, 0.0, "pattern " + bits);
                assertEquals(bits >>> 15, Float.floatToRawIntBits(actual) >>> 31, "sign of pattern " + bits);
            }
        }
    }

    @Test
    void floatToF16_all65536Patterns_roundTripExactly() {
        for (int bits = 0; bits < 65536; bits++) {
            float f = HalfFloats.f16ToFloat((short) bits);
            short back = HalfFloats.floatToF16(f);
            if (Float.isNaN(f)) {
                assertTrue(Float.isNaN(HalfFloats.f16ToFloat(back)), "pattern " + bits);
            } else {
                assertEquals(bits, back & 0xffff, "pattern " + bits);
            }
        }
    }

    @Test
    void floatToF16_midpoints_roundToNearestEven() {
        for (int bits = 0; bits < 0x7bff; bits++) {
            double lo = decodeF16(bits);
            double hi = decodeF16(bits + 1);
            float mid = (float) ((lo + hi) / 2);
            if (new BigDecimal(mid).compareTo(new BigDecimal(lo).add(new BigDecimal(hi))
                    .divide(BigDecimal.valueOf(2))) != 0) {
                continue; // the midpoint is not a float; nothing to check for this pair
            }
            int expected = (bits & 1) == 0 ? bits : bits + 1;
            assertEquals(expected, HalfFloats.floatToF16(mid) & 0xffff, "midpoint above pattern " + bits);
            assertEquals(expected | 0x8000, HalfFloats.floatToF16(-mid) & 0xffff, "negative midpoint " + bits);
        }
        assertEquals(0x7c00, HalfFloats.floatToF16(65520f) & 0xffff, "65520 rounds up to infinity");
        assertEquals(0x7bff, HalfFloats.floatToF16(65519.99f) & 0xffff);
    }

    @Test
    void bf16ToFloat_all65536Patterns_areUpperHalfOfFloat() {
        for (int bits = 0; bits < 65536; bits++) {
            float f = HalfFloats.bf16ToFloat((short) bits);
            assertEquals(bits << 16, Float.floatToRawIntBits(f), "pattern " + bits);
            short back = HalfFloats.floatToBf16(f);
            if (Float.isNaN(f)) {
                assertTrue(Float.isNaN(HalfFloats.bf16ToFloat(back)), "NaN stays NaN: " + bits);
                assertEquals(bits >>> 15, (back & 0xffff) >>> 15, "NaN keeps its sign: " + bits);
            } else {
                assertEquals(bits, back & 0xffff, "round trip of " + bits);
            }
        }
    }

    @Test
    void floatToBf16_halfwayAndAboveHalfway_roundToNearestEven() {
        for (int bits = 0; bits < 0x7f80; bits += 7) {
            int evenBits = bits & ~1;
            float tieBelowEven = Float.intBitsToFloat((evenBits << 16) | 0x8000);
            assertEquals(evenBits, HalfFloats.floatToBf16(tieBelowEven) & 0xffff, "tie from even " + evenBits);
            int odd = evenBits | 1;
            float tieFromOdd = Float.intBitsToFloat((odd << 16) | 0x8000);
            assertEquals(odd + 1, HalfFloats.floatToBf16(tieFromOdd) & 0xffff, "tie from odd " + odd);
            float above = Float.intBitsToFloat((evenBits << 16) | 0x8001);
            assertEquals(evenBits + 1, HalfFloats.floatToBf16(above) & 0xffff, "above half " + evenBits);
            float below = Float.intBitsToFloat((odd << 16) | 0x7fff);
            assertEquals(odd, HalfFloats.floatToBf16(below) & 0xffff, "below half " + odd);
        }
        assertEquals(0x7f80, HalfFloats.floatToBf16(Float.MAX_VALUE) & 0xffff, "max float rounds to infinity");
        assertEquals(0x0001, HalfFloats.floatToBf16(Float.intBitsToFloat(0x00008001)) & 0xffff, "subnormal");
        assertTrue(Float.isNaN(HalfFloats.bf16ToFloat(HalfFloats.floatToBf16(Float.intBitsToFloat(0x7f800001)))),
                "a NaN whose payload sits in the low bits stays NaN");
    }
}
