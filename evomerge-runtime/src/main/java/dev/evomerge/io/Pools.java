package dev.evomerge.io;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Ending a thread pool whose tasks touch files. {@link ExecutorService#close()} interrupts the tasks when the waiting
 * thread is interrupted, and an interrupt closes any {@link java.nio.channels.FileChannel} the task is using
 * ({@link java.nio.channels.ClosedByInterruptException}): a shard half written, a mapping gone. So these pools are
 * never interrupted; the caller's interrupt is kept for after the wait.
 *
 * <p>Stateless and thread-safe.
 */
public final class Pools {

    private Pools() {
    }

    /**
     * Takes no more tasks, waits for those queued and running to end without interrupting them, and then restores
     * the calling thread's interrupt status if it was interrupted meanwhile.
     */
    public static void shutdownAndWait(ExecutorService pool) {
        pool.shutdown();
        boolean interrupted = false;
        while (true) {
            try {
                if (pool.awaitTermination(1, TimeUnit.DAYS)) {
                    break;
                }
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
