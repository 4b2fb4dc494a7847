package dev.evomerge.merge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.evomerge.diag.RunException;
import dev.evomerge.event.Event;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class BudgetedExecutorTest {

    @Test
    void run_manyJobs_inFlightMemoryNeverExceedsBudget() {
        AtomicLong inFlight = new AtomicLong();
        AtomicLong peak = new AtomicLong();
        List<BudgetedExecutor.Job> jobs = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            long mem = 10 + (i % 7) * 10;
            jobs.add(new BudgetedExecutor.Job("t" + i, mem, mem, () -> {
                long now = inFlight.addAndGet(mem);
                peak.accumulateAndGet(now, Math::max);
                sleep(2);
                inFlight.addAndGet(-mem);
            }));
        }
        new BudgetedExecutor(4, 100, e -> { }, "test").run(jobs);
        assertTrue(peak.get() <= 100, "peak " + peak.get());
        assertTrue(peak.get() > 70, "jobs did run side by side: peak " + peak.get());
    }

    @Test
    void run_jobLargerThanBudget_runsAlone() {
        AtomicInteger concurrent = new AtomicInteger();
        AtomicInteger maxWithBig = new AtomicInteger();
        List<BudgetedExecutor.Job> jobs = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            boolean big = i == 5;
            jobs.add(new BudgetedExecutor.Job("t" + i, big ? 1000 : 10, 1, () -> {
                int c = concurrent.incrementAndGet();
                if (big) {
                    maxWithBig.set(c);
                }
                sleep(3);
                concurrent.decrementAndGet();
            }));
        }
        new BudgetedExecutor(4, 100, e -> { }, "test").run(jobs);
        assertEquals(1, maxWithBig.get());
    }

    @Test
    void run_progress_countsEveryJobAndEndsAtTotal() {
        List<Event.Progress> events = Collections.synchronizedList(new ArrayList<>());
        List<BudgetedExecutor.Job> jobs = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            jobs.add(new BudgetedExecutor.Job("t" + i, 1, 100, () -> { }));
        }
        new BudgetedExecutor(2, 10, e -> events.add((Event.Progress) e), "merge").run(jobs);
        assertEquals(5, events.size());
        assertTrue(events.stream().anyMatch(p -> p.done() == 5 && p.total() == 5));
        assertTrue(events.getFirst().detail().endsWith(" GB/s"), events.getFirst().detail());
    }

    @Test
    void run_failingJob_rethrowsFirstFailureAndStopsStartingOthers() {
        RunException boom = new RunException("tensor x failed", null);
        AtomicInteger started = new AtomicInteger();
        List<BudgetedExecutor.Job> jobs = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            int n = i;
            jobs.add(new BudgetedExecutor.Job("t" + i, 10, 1, () -> {
                started.incrementAndGet();
                if (n == 3) {
                    throw boom;
                }
                sleep(2);
            }));
        }
        RunException thrown = assertThrows(RunException.class,
                () -> new BudgetedExecutor(2, 20, e -> { }, "t").run(jobs));
        assertSame(boom, thrown);
        assertTrue(started.get() < 100, "started " + started.get());
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
