package dev.evomerge.report;

import dev.evomerge.report.LockFile.Input;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A lock's input entries being hashed on a thread of their own, as {@link LockDigests#inputsInBackground} started
 * them.
 */
public final class PendingInputs {

    private final FutureTask<List<Input>> task;
    private final AtomicBoolean cancelled;

    PendingInputs(FutureTask<List<Input>> task, AtomicBoolean cancelled) {
        this.task = task;
        this.cancelled = cancelled;
    }

    /** The entries, waiting for them; a hashing failure is rethrown as it was. */
    public List<Input> await() {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return task.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Hashes no further file (the merge failed; the file being hashed is finished). */
    public void cancel() {
        cancelled.set(true);
    }
}
