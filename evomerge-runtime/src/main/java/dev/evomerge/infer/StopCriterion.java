package dev.evomerge.infer;

/**
 * Decides, after each generated token, whether a sequence is finished (besides its stop tokens and the token
 * budget). {@link StopSequences} stops on text, as lm-evaluation-harness's {@code until} does.
 *
 * <p>Implementations must be thread-safe when one is shared by generations running at once.
 */
@FunctionalInterface
public interface StopCriterion {

    /** Never stops. */
    StopCriterion NEVER = generated -> false;

    /**
     * @param generated the tokens generated so far for one sequence (not its prompt), the newest last
     * @return whether to stop that sequence now
     */
    boolean shouldStop(int[] generated);
}
