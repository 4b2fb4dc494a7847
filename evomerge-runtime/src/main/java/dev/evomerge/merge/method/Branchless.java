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

    /** 1 when {@code x > 0}, else 0 (also for −0), exactly; NaN stays NaN. The JIT vectorises Math.signum. */
    static float positive(float x) {
        float s = Math.signum(x);
        return 0.5f * (s + Math.abs(s));
    }
}
