package dev.evomerge.merge.method;

/**
 * Comparisons as arithmetic, for loops whose outcome per element is random (sign elections, random drops, rank
 * cuts): a branch there is mispredicted half the time, and {@code Math.min}/{@code max} on floats keep the JIT from
 * vectorising. These use only operations it vectorises.
 *
 * <p>Stateless.
 */
final class Branchless {

    private Branchless() {
    }

    /**
     * 1 when {@code x > 0}, else 0 (also for −0), exactly, for {@code |x| < 2^66}; NaN stays NaN.
     *
     * <p>{@code (x + |x|)·2^60} is 0 for {@code x <= 0} and at least 2^-88 (a normal float) otherwise; adding
     * 2^-149 leaves a normal float unchanged, so the quotient is exactly 1 or 0.
     */
    static float positive(float x) {
        float scaled = (x + Math.abs(x)) * 0x1p60f;
        return scaled / (scaled + 0x1p-149f);
    }
}
