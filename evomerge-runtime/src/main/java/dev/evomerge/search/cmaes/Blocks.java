package dev.evomerge.search.cmaes;

import java.util.function.IntConsumer;
import java.util.stream.IntStream;

/**
 * Runs the blocks of an O(n^2) or O(n^3) loop of the full CMA-ES, on the common fork-join pool when the work is
 * large enough to pay for it. Each block writes its own outputs and computes each of them in the same order as a
 * single thread would, so the bits do not depend on the number of threads or on which thread ran a block.
 *
 * <p>Stateless.
 */
final class Blocks {

    /** Below this many element operations a loop runs on the calling thread. */
    private static final long PARALLEL_WORK = 1L << 18;

    private Blocks() {
    }

    /** Runs {@code body} for each block index in {@code [0, count)}; {@code work} is the loop's size in total. */
    static void run(int count, long work, IntConsumer body) {
        if (count > 1 && work >= PARALLEL_WORK) {
            IntStream.range(0, count).parallel().forEach(body);
        } else {
            for (int b = 0; b < count; b++) {
                body.accept(b);
            }
        }
    }

    /** The number of blocks of {@code width} that cover {@code length}. */
    static int count(int length, int width) {
        return (length + width - 1) / width;
    }
}
