package dev.evomerge.merge.method;

import dev.evomerge.diag.RunException;

/**
 * How many models a method merges into one tensor, declared as data: the fewest and most it counts (the inputs
 * besides the base model; every input where the base is merged like any other, {@link BaseModelUse#INPUT}), what
 * it does with a tensor only one model has, and the words the error uses. {@link AbstractMergeMethod} checks it
 * once per call.
 *
 * @param min the fewest counted inputs
 * @param max the most counted inputs ({@link #ANY} for no bound)
 * @param lone what a tensor with a single input gives
 * @param expected what the method takes, completing "{@code <method> ...}" ("merges exactly two models, the base
 *     and one other")
 * @param fix what to change, for the message
 * @param optionalShortfallDropped whether an {@linkplain dev.evomerge.merge.TensorMergeSpec#optional() optional}
 *     weight with too few inputs is dropped from the output instead of failing (mergekit's model_stock)
 */
record Arity(int min, int max, LoneInput lone, String expected, String fix, boolean optionalShortfallDropped) {

    static final int ANY = Integer.MAX_VALUE;

    /** What a method does with a tensor only one model has. */
    enum LoneInput {
        /** The single input is the result, whichever model it comes from. */
        PASSES,
        /** The single input is the result when it is the base model's; else the other checks speak. */
        BASE_PASSES,
        /** The method merges a single input like several (linear's weighted sum, passthrough's scale). */
        MERGED
    }

    Arity {
        if (min < 0 || max < min) {
            throw new IllegalArgumentException("arity " + min + ".." + max);
        }
    }

    /** Any number of inputs, at least one counted. */
    static Arity any(LoneInput lone) {
        return new Arity(0, ANY, lone, "", "", false);
    }

    /** Whether {@code counted} inputs are allowed. */
    boolean allows(int counted) {
        return counted >= min && counted <= max;
    }

    /** The error for a tensor with {@code inputs} inputs that the method cannot merge. */
    RunException error(String method, String outputName, int inputs) {
        return new RunException(method + " " + expected + "; " + outputName + " has " + inputs + " input"
                + (inputs == 1 ? "" : "s"), fix);
    }
}
