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
}
