package dev.evomerge.tensor;

/**
 * Exact conversions between float32 and the two 16-bit float formats, IEEE binary16 (F16) and bfloat16 (BF16).
 * Widening is exact; narrowing rounds to nearest, ties to even, and keeps NaN a NaN, infinities infinite and
 * subnormals right, as PyTorch does.
 *
 * <p>Stateless and thread-safe.
 */
public final class HalfFloats {

    private HalfFloats() {
    }

    /** The float32 value of a bfloat16 bit pattern (exact). */
    public static float bf16ToFloat(short bits) {
        return Float.intBitsToFloat((bits & 0xffff) << 16);
    }

    /** The bfloat16 nearest to {@code f}, ties to even; NaN stays a (quiet) NaN with its sign. */
    public static short floatToBf16(float f) {
        int bits = Float.floatToRawIntBits(f);
        if ((bits & 0x7fffffff) > 0x7f800000) {
            return (short) ((bits >>> 16) | 0x0040);
        }
        int rounding = 0x7fff + ((bits >>> 16) & 1);
        return (short) ((bits + rounding) >>> 16);
    }

    /** The float32 value of an IEEE binary16 bit pattern (exact). */
    public static float f16ToFloat(short bits) {
        return Float.float16ToFloat(bits);
    }

    /** The binary16 nearest to {@code f}, ties to even (the JDK's conversion, which is exact IEEE rounding). */
    public static short floatToF16(float f) {
        return Float.floatToFloat16(f);
    }
}
