package dev.evomerge.merge;

import dev.evomerge.diag.Requires;
import dev.evomerge.event.Event;
import dev.evomerge.event.EventListener;
import dev.evomerge.io.Pools;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs independent jobs (one per output tensor) on a fixed number of threads while the memory the running jobs
 * declare stays within a budget: a job starts, in list order, once it fits beside the jobs in flight, or alone when
 * it is larger than the whole budget. Peak memory is therefore the budget (or one job), whatever the number of jobs.
 * Reports progress (jobs done of total, throughput, time left) after each job. The first failure stops new jobs from
 * starting and is rethrown once the running ones finish.
 *
 * <p>Results do not depend on the thread count as long as each job's effect does not depend on the others' timing
 * (the merge writes each tensor to its own fixed place).
 */
public final class BudgetedExecutor {

    /**
     * One unit of work.
     *
     * @param name what it is, for messages (the output tensor name)
     * @param memoryBytes the memory it may hold while running
     * @param progressBytes how much it counts for throughput and time estimates (bytes read or written)
     * @param work the work
     */
    public record Job(String name, long memoryBytes, long progressBytes, Runnable work) {
        public Job {
            Requires.nonNull("name, work", name, work);
            if (memoryBytes < 0 || progressBytes < 0) {
                throw new IllegalArgumentException("sizes must be >= 0 for job " + name);
            }
        }
    }

    private final int threads;
    private final long memoryBudget;
    private final EventListener events;
    private final String task;

    private long inFlight;

    /**
     * @param threads how many jobs may run at once (>= 1)
     * @param memoryBudget bytes the running jobs may declare in total (> 0)
     * @param events where progress goes
     * @param task the task name shown in progress events, e.g. "merge"
     */
    public BudgetedExecutor(int threads, long memoryBudget, EventListener events, String task) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        if (memoryBudget <= 0) {
            throw new IllegalArgumentException("memory budget must be > 0, got " + memoryBudget);
        }
        this.threads = threads;
        this.memoryBudget = memoryBudget;
        this.events = Objects.requireNonNull(events, "events");
        this.task = Objects.requireNonNull(task, "task");
    }

    /** Runs every job; rethrows the first failure (unchecked exceptions as they are). */
    public void run(List<Job> jobs) {
        long totalBytes = jobs.stream().mapToLong(Job::progressBytes).sum();
        AtomicInteger done = new AtomicInteger();
        AtomicLong doneBytes = new AtomicLong();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        long start = System.nanoTime();
        AtomicInteger threadNumber = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "evomerge-" + task + "-" + threadNumber.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        try {
            for (Job job : jobs) {
                long need = Math.min(job.memoryBytes(), memoryBudget);
                if (!acquire(need, failure)) {
                    break;
                }
                pool.execute(() -> {
                    try {
                        if (failure.get() == null) {
                            job.work().run();
                            int n = done.incrementAndGet();
                            long bytes = doneBytes.addAndGet(job.progressBytes());
                            events.on(progress(n, jobs.size(), bytes, totalBytes, System.nanoTime() - start));
                        }
                    } catch (Throwable t) {
                        failure.compareAndSet(null, t);
                    } finally {
                        release(need);
                    }
                });
            }
        } finally {
            Pools.shutdownAndWait(pool);
        }
        Throwable t = failure.get();
        if (t instanceof RuntimeException re) {
            throw re;
        }
        if (t instanceof Error e) {
            throw e;
        }
        if (t != null) {
            throw new IllegalStateException(t);
        }
    }

    private synchronized boolean acquire(long need, AtomicReference<Throwable> failure) {
        while (inFlight > 0 && inFlight + need > memoryBudget && failure.get() == null) {
            try {
                wait(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failure.compareAndSet(null, e);
                return false;
            }
        }
        if (failure.get() != null) {
            return false;
        }
        inFlight += need;
        return true;
    }

    private synchronized void release(long need) {
        inFlight -= need;
        notifyAll();
    }

    private Event.Progress progress(int done, int total, long bytes, long totalBytes, long elapsedNanos) {
        double seconds = elapsedNanos / 1e9;
        double rate = seconds > 0 ? bytes / seconds : 0;
        Duration eta = rate > 0 ? Duration.ofMillis((long) ((totalBytes - bytes) / rate * 1000)) : null;
        String detail = String.format(Locale.ROOT, "%.2f GB/s", rate / 1e9);
        return new Event.Progress(task, done, total, detail, eta);
    }
}
