package dev.evomerge;

import dev.evomerge.config.ByteSizes;
import dev.evomerge.tensor.DType;
import java.util.Locale;

/**
 * The defaults the command line and the Maven goals share, and the one conversion of each option's text, so that
 * {@code evomerge merge --threads 0} and {@code evomerge:merge} with {@code threads} 0 mean the same (one thread per
 * processor), and {@code synth} writes the same dtype from either. The constants are text, as both picocli's and
 * Maven's {@code defaultValue} take them.
 *
 * <p>Stateless and thread-safe.
 */
public final class Defaults {

    /** Seed of the stochastic merge methods and of synthetic models. */
    public static final String SEED = "0";
    /** mergekit's shard size: 5·10⁹ bytes. */
    public static final String SHARD_SIZE = "5B";
    /** Threads: 0 means one per processor. */
    public static final String THREADS = "0";
    /** The family of a synthetic model. */
    public static final String SYNTH_FAMILY = "llama";
    /** The stored dtype of a synthetic model. */
    public static final String SYNTH_DTYPE = "f32";
    /** A perturbation's noise, as a fraction of each tensor's RMS. */
    public static final String SYNTH_NOISE = "0.01";

    private Defaults() {
    }

    /**
     * Threads as an option gives them: 0 means one per processor.
     *
     * @throws IllegalArgumentException for a negative count
     */
    public static int threads(int requested) {
        if (requested < 0) {
            throw new IllegalArgumentException("threads must be 0 (one per processor) or more, got " + requested);
        }
        return requested == 0 ? Runtime.getRuntime().availableProcessors() : requested;
    }

    /**
     * A memory budget as an option gives it ({@code 2G}, {@code 500M}); null or blank means half of what the heap
     * can still grow to.
     *
     * @throws IllegalArgumentException for text that is not a size
     */
    public static long memoryBudget(String text) {
        return text == null || text.isBlank() ? MergeRequest.defaultMemoryBudget() : ByteSizes.parse(text);
    }

    /**
     * A dtype as an option writes it: {@code bf16}/{@code bfloat16}, {@code f16}/{@code fp16}/{@code float16},
     * {@code f32}/{@code fp32}/{@code float32}.
     *
     * @throws IllegalArgumentException naming the accepted spellings
     */
    public static DType dtype(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "bf16", "bfloat16" -> DType.BF16;
            case "f16", "fp16", "float16" -> DType.F16;
            case "f32", "fp32", "float32" -> DType.F32;
            default -> throw new IllegalArgumentException("dtype must be bf16, f16 or f32, got '" + text + "'");
        };
    }
}
