package dev.evomerge.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ConversionsTest {

    @Test
    void encodeThenDecode_everyFloatType_roundsOnceAndReadsBack() {
        SplittableRandom rnd = new SplittableRandom(1);
        float[] values = new float[10_007];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (rnd.nextGaussian() * Math.pow(10, rnd.nextInt(-8, 5)));
        }
        for (DType t : new DType[] {DType.F32, DType.F16, DType.BF16, DType.F64}) {
            MemorySegment bytes = Conversions.encode(values, t);
            assertEquals((long) values.length * t.byteSize(), bytes.byteSize());
            float[] back = new float[values.length];
            Conversions.toFloats(bytes, t, 0, back, 0, values.length);
            for (int i = 0; i < values.length; i++) {
                float expected = switch (t) {
                    case F16 -> HalfFloats.f16ToFloat(HalfFloats.floatToF16(values[i]));
                    case BF16 -> HalfFloats.bf16ToFloat(HalfFloats.floatToBf16(values[i]));
                    default -> values[i];
                };
                assertEquals(expected, back[i], 0.0, t + " element " + i);
            }
        }
    }

    @Test
    void toFloats_fromElementOffset_readsThatRange() {
        float[] values = {1, 2, 3, 4, 5, 6};
        MemorySegment bytes = Conversions.encode(values, DType.BF16);
        float[] out = new float[3];
        Conversions.toFloats(bytes, DType.BF16, 2, out, 0, 3);
        assertArrayEquals(new float[] {3, 4, 5}, out);
    }

    /** Bit patterns the pairwise bfloat16 loops must treat as the element-wise conversions do. */
    private static float[] edgeFloats() {
        int[] bits = {0x00000000, 0x80000000, 0x00000001, 0x807FFFFF, 0x00008000, 0x00018000, 0x3F808000,
            0x3F818000, 0x3F807FFF, 0x3F808001, 0x7F7FFFFF, 0xFF7FFFFF, 0x7F7F8000, 0x7F800000, 0xFF800000,
            0x7FC00000, 0x7F800001, 0xFFFFFFFF, 0xFF800001, 0x7FFF8000, 0x3F800000, 0xBF800000};
        SplittableRandom rnd = new SplittableRandom(7);
        float[] out = new float[bits.length * 40];
        for (int i = 0; i < out.length; i++) {
            // each edge pattern next to random neighbours, at even and odd positions
            out[i] = i % 2 == 0 || rnd.nextInt(4) == 0 ? Float.intBitsToFloat(bits[rnd.nextInt(bits.length)])
                    : Float.intBitsToFloat(rnd.nextInt());
        }
        return out;
    }

    @Test
    void bf16_everyEdgePatternAtAnyOffsetAndLength_sameBitsAsElementWise() {
        float[] values = edgeFloats();
        for (int offset : new int[] {0, 1, 2, 5}) {
            for (int count : new int[] {0, 1, 2, 3, 64, 65, values.length - offset}) {
                MemorySegment bytes = MemorySegment.ofArray(new byte[2 * count + 6]);
                Conversions.fromFloats(values, offset, count, DType.BF16, bytes, 3);
                for (int i = 0; i < count; i++) {
                    short expected = HalfFloats.floatToBf16(values[offset + i]);
                    assertEquals(expected, bytes.get(Conversions.I16_LE, 2L * (3 + i)),
                            "encode offset " + offset + " count " + count + " element " + i);
                }
                float[] back = new float[count + offset];
                Conversions.toFloats(bytes, DType.BF16, 3, back, offset, count);
                for (int i = 0; i < count; i++) {
                    int expected = Float.floatToRawIntBits(HalfFloats.bf16ToFloat(bytes.get(Conversions.I16_LE,
                            2L * (3 + i))));
                    assertEquals(expected, Float.floatToRawIntBits(back[offset + i]),
                            "decode offset " + offset + " count " + count + " element " + i);
                }
            }
        }
    }

    @Test
    void bf16_finiteValuesWithoutNan_roundNearestEvenInPairs() {
        // no NaN: the pairwise loop converts every pair (a NaN sends the whole call to the element-wise loop)
        SplittableRandom rnd = new SplittableRandom(3);
        float[] values = new float[4097];
        for (int i = 0; i < values.length; i++) {
            int b = rnd.nextInt();
            // an all-ones exponent loses its top bit: any bits, but finite
            values[i] = Float.intBitsToFloat((b & 0x7F800000) == 0x7F800000 ? b & 0xBFFFFFFF : b);
        }
        MemorySegment bytes = Conversions.encode(values, DType.BF16);
        for (int i = 0; i < values.length; i++) {
            assertEquals(HalfFloats.floatToBf16(values[i]), bytes.get(Conversions.I16_LE, 2L * i), "element " + i);
        }
    }
}
