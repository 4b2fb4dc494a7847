package dev.evomerge.tensor;

import dev.evomerge.diag.InputException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Bulk conversion between tensor bytes (little-endian, in any floating dtype) and float32 arrays: the merge
 * engine's and the inference code's hot path. Works in chunks through a small scratch array, so nothing grows
 * with the tensor.
 *
 * <p>Stateless and thread-safe.
 */
public final class Conversions {

    /** Little-endian layouts without alignment requirements: mapped tensors start at any byte offset. */
    public static final ValueLayout.OfFloat F32_LE = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    public static final ValueLayout.OfDouble F64_LE =
            ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    public static final ValueLayout.OfShort I16_LE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private static final int CHUNK = 4096;

    private static final ValueLayout.OfInt I32_LE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    /** Two float32 of a heap float array as one long (native order), for the pairwise bfloat16 loops. */
    private static final ValueLayout.OfLong PAIR = ValueLayout.JAVA_LONG_UNALIGNED;
    /** Whether the pairwise loops apply: the low half of a native long is the float at the lower index. */
    private static final boolean PAIRS = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;

    private Conversions() {
    }

    /**
     * Reads {@code count} elements of {@code dtype} starting at element {@code fromElement} of {@code src} into
     * {@code dst[dstOffset..]} as float32.
     */
    public static void toFloats(MemorySegment src, DType dtype, long fromElement, float[] dst, int dstOffset,
            int count) {
        long byteOffset = fromElement * dtype.byteSize();
        switch (dtype) {
            case F32 -> MemorySegment.copy(src, F32_LE, byteOffset, dst, dstOffset, count);
            case BF16 -> {
                int done = PAIRS ? bf16PairsToFloats(src, byteOffset, dst, dstOffset, count) : 0;
                for (int i = done; i < count; i++) {
                    dst[dstOffset + i] = Float.intBitsToFloat((src.get(I16_LE, byteOffset + 2L * i) & 0xffff) << 16);
                }
            }
            case F16 -> {
                for (int i = 0; i < count; i++) {
                    dst[dstOffset + i] = Float.float16ToFloat(src.get(I16_LE, byteOffset + 2L * i));
                }
            }
            case F64 -> {
                double[] scratch = new double[Math.min(CHUNK, count)];
                for (int done = 0; done < count; ) {
                    int n = Math.min(scratch.length, count - done);
                    MemorySegment.copy(src, F64_LE, byteOffset + 8L * done, scratch, 0, n);
                    for (int i = 0; i < n; i++) {
                        dst[dstOffset + done + i] = (float) scratch[i];
                    }
                    done += n;
                }
            }
            default -> throw new IllegalArgumentException(dtype + " is not a floating-point type");
        }
    }

    /** All elements of a tensor's bytes as a new float32 array. */
    public static float[] toFloats(MemorySegment src, TensorInfo info, java.nio.file.Path fileForMessages) {
        if (!info.dtype().isFloatingPoint()) {
            throw new InputException(fileForMessages, "tensor '" + info.name() + "' has dtype " + info.dtype()
                    + ", not a floating-point type", null);
        }
        long n = info.numel();
        if (n > Integer.MAX_VALUE - 8) {
            throw new InputException(fileForMessages, "tensor '" + info.name() + "' has " + n
                    + " elements, more than one array can hold", null);
        }
        float[] out = new float[(int) n];
        toFloats(src, info.dtype(), 0, out, 0, (int) n);
        return out;
    }

    /**
     * Encodes {@code src[srcOffset..srcOffset+count)} as {@code dtype} into {@code dst} at element
     * {@code toElement}, rounding to nearest even for half types.
     */
    public static void fromFloats(float[] src, int srcOffset, int count, DType dtype, MemorySegment dst,
            long toElement) {
        long byteOffset = toElement * dtype.byteSize();
        switch (dtype) {
            case F32 -> MemorySegment.copy(src, srcOffset, dst, F32_LE, byteOffset, count);
            case BF16 -> {
                int done = PAIRS ? floatPairsToBf16(src, srcOffset, count, dst, byteOffset) : 0;
                for (int i = done; i < count; i++) {
                    dst.set(I16_LE, byteOffset + 2L * i, HalfFloats.floatToBf16(src[srcOffset + i]));
                }
            }
            case F16 -> {
                for (int i = 0; i < count; i++) {
                    dst.set(I16_LE, byteOffset + 2L * i, Float.floatToFloat16(src[srcOffset + i]));
                }
            }
            case F64 -> {
                for (int i = 0; i < count; i++) {
                    dst.set(F64_LE, byteOffset + 8L * i, src[srcOffset + i]);
                }
            }
            default -> throw new IllegalArgumentException(dtype + " is not a floating-point type");
        }
    }

    /**
     * Widens the bfloat16 pairs of {@code count} elements (all but an odd last one) into {@code dst}: each int of
     * two bfloat16 becomes a long of two float32 written over the float array, in integer operations the JIT
     * vectorises (it does not vectorise a short's widening or an int's reinterpretation as a float). Returns how
     * many elements it converted.
     */
    private static int bf16PairsToFloats(MemorySegment src, long byteOffset, float[] dst, int dstOffset,
            int count) {
        MemorySegment out = MemorySegment.ofArray(dst);
        long outOffset = 4L * dstOffset;
        int pairs = count / 2;
        for (int k = 0; k < pairs; k++) {
            int two = src.get(I32_LE, byteOffset + 4L * k);
            out.set(PAIR, outOffset + 8L * k, ((long) (two & 0xFFFF0000) << 32) | ((two << 16) & 0xFFFFFFFFL));
        }
        return 2 * pairs;
    }

    /**
     * Rounds the float32 pairs of {@code count} elements (all but an odd last one) to bfloat16, nearest even, two
     * per long: each half gets {@code 0x7FFF} plus its bit 16 added, which never carries into the other half
     * unless the lower float is a NaN, and its top 16 bits are the result. Returns how many elements it converted:
     * 0 when there is a NaN, which the element-wise loop then converts to a quiet NaN.
     */
    private static int floatPairsToBf16(float[] src, int srcOffset, int count, MemorySegment dst, long byteOffset) {
        MemorySegment in = MemorySegment.ofArray(src);
        long inOffset = 4L * srcOffset;
        int pairs = count / 2;
        // the NaN test is a loop of its own, a max over magnitude bits (a NaN's exceed 0x7F800000): the JIT
        // vectorises a max reduction, but neither an OR reduction nor the conversion loop with one in it
        int largest = 0;
        for (int i = 0; i < 2 * pairs; i++) {
            largest = Math.max(largest, in.get(ValueLayout.JAVA_INT, inOffset + 4L * i) & 0x7FFFFFFF);
        }
        if (largest > 0x7F800000) {
            return 0;
        }
        for (int k = 0; k < pairs; k++) {
            long two = in.get(PAIR, inOffset + 8L * k);
            long rounded = two + 0x00007FFF00007FFFL + ((two >>> 16) & 0x0000000100000001L);
            long high16s = ((rounded >>> 16) & 0xFFFFL) | ((rounded >>> 32) & 0xFFFF0000L);
            // one narrowing of the whole long: narrowing each half separately keeps the JIT from vectorising
            dst.set(I32_LE, byteOffset + 4L * k, (int) high16s);
        }
        return 2 * pairs;
    }

    /** A float32 array encoded as a new heap segment of {@code dtype}. */
    public static MemorySegment encode(float[] values, DType dtype) {
        MemorySegment out = MemorySegment.ofArray(new byte[Math.multiplyExact(values.length, dtype.byteSize())]);
        fromFloats(values, 0, values.length, dtype, out, 0);
        return out;
    }
}
