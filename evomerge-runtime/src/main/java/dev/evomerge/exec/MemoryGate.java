package dev.evomerge.exec;

/**
 * The memory budget of candidates evaluated at once: each evaluation holds its candidate's estimated bytes while it
 * runs, and waits while they would not fit beside the others'. A candidate larger than the whole budget runs alone.
 *
 * <p>Thread-safe.
 */
public final class MemoryGate {

    private final long budget;
    private long inUse;

    /** @param budget bytes, at least 1 */
    public MemoryGate(long budget) {
        if (budget < 1) {
            throw new IllegalArgumentException("budget must be >= 1");
        }
        this.budget = budget;
    }

    public long budget() {
        return budget;
    }

    /** How many candidates of {@code bytes} each fit at once (at least 1). */
    public int fitting(long bytes) {
        return bytes <= 0 ? Integer.MAX_VALUE : (int) Math.max(1, Math.min(Integer.MAX_VALUE, budget / bytes));
    }

    /** Waits until {@code bytes} (capped at the budget) fit, then holds them. */
    public synchronized void acquire(long bytes) throws InterruptedException {
        long b = Math.min(Math.max(bytes, 0), budget);
        while (inUse + b > budget) {
            wait();
        }
        inUse += b;
    }

    /** Gives back what {@link #acquire} took for {@code bytes}. */
    public synchronized void release(long bytes) {
        inUse -= Math.min(Math.max(bytes, 0), budget);
        notifyAll();
    }

    public synchronized long inUse() {
        return inUse;
    }
}
