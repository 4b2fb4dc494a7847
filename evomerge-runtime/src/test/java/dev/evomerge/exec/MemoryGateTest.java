package dev.evomerge.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Evaluations held to a memory budget: never more at once than fit, and a candidate above the budget runs alone. */
class MemoryGateTest {

    /**
     * Runs {@code tasks} holders of {@code bytes} each on 4 threads, the first {@code together} of them waiting
     * (up to 5 s) until that many hold at once; the most that ever held at once.
     */
    private static int mostAtOnce(MemoryGate gate, long bytes, int tasks, int together) throws Exception {
        CountDownLatch gathered = new CountDownLatch(together);
        AtomicInteger running = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < tasks; i++) {
                futures.add(pool.submit(() -> {
                    gate.acquire(bytes);
                    try {
                        most.accumulateAndGet(running.incrementAndGet(), Math::max);
                        gathered.countDown();
                        gathered.await(5, TimeUnit.SECONDS);
                        Thread.sleep(5);
                        running.decrementAndGet();
                    } finally {
                        gate.release(bytes);
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        }
        assertEquals(0, gate.inUse(), "everything given back");
        return most.get();
    }

    @Test
    void acquire_budgetForTwo_neverMoreThanTwoAtOnce() throws Exception {
        MemoryGate gate = new MemoryGate(100);
        assertEquals(2, gate.fitting(40));
        assertEquals(2, mostAtOnce(gate, 40, 12, 2));
    }

    @Test
    void acquire_candidateAboveTheBudget_runsAloneWithoutWaitingForever() throws Exception {
        MemoryGate gate = new MemoryGate(100);
        assertEquals(1, gate.fitting(500));
        assertEquals(1, mostAtOnce(gate, 500, 6, 1));
    }

    @Test
    void acquire_candidatesSharingEverything_allThreadsAtOnce() throws Exception {
        MemoryGate gate = new MemoryGate(100);
        assertEquals(Integer.MAX_VALUE, gate.fitting(0));
        assertEquals(4, mostAtOnce(gate, 0, 8, 4));
    }
}
