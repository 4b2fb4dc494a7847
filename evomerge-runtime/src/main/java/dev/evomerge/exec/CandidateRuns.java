package dev.evomerge.exec;

import dev.evomerge.diag.EvomergeException;
import dev.evomerge.diag.RunException;
import dev.evomerge.eval.BatchEvaluator;
import dev.evomerge.eval.Candidate;
import dev.evomerge.eval.EvaluationOutcome;
import dev.evomerge.eval.Evaluator;
import dev.evomerge.search.evolve.EvaluationSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Where and how a search's candidates run: a batch evaluator (a Slurm job array) takes a batch at once; otherwise
 * they run in this process on a pool of {@code evaluation.threads} threads whose candidates together stay within
 * the memory budget ({@link MemoryGate}), each cancelled after {@code evaluation.timeout} when it runs in this
 * process (a command's evaluator kills its own process at the timeout). A candidate that cannot be built or
 * evaluated comes back with the reason, never as an exception.
 */
public final class CandidateRuns implements AutoCloseable {

    /** A candidate built for one evaluation, and what to free when it is over. */
    public interface Built extends AutoCloseable {

        Candidate candidate();

        @Override
        void close();
    }

    /** One candidate to run: its name and how to build it. */
    public record Job(String name, Supplier<? extends Built> build) {
    }

    /**
     * What running a candidate came to: the evaluator's outcome, or why there is none.
     *
     * @param seconds the evaluation's wall time (a batch evaluator's own measure for its candidates)
     */
    public record Result(Optional<EvaluationOutcome> outcome, Optional<String> error, double seconds) {

        static Result failed(String error, double seconds) {
            return new Result(Optional.empty(), Optional.of(error), seconds);
        }
    }

    /** Where the time of building and scoring candidates goes. */
    public interface Timing {

        /** Keeps no time. */
        Timing NONE = new Timing() {
            @Override
            public void addPrepare(long nanos) {
            }

            @Override
            public void addScore(long nanos) {
            }
        };

        void addPrepare(long nanos);

        void addScore(long nanos);
    }

    private final ExecutorService pool;
    private final MemoryGate memory;
    private final Optional<Duration> timeout;

    private CandidateRuns(ExecutorService pool, MemoryGate memory, Optional<Duration> timeout) {
        this.pool = pool;
        this.memory = memory;
        this.timeout = timeout;
    }

    /**
     * @param memoryBudget bytes the candidates of a generation may hold at once
     * @param timeout how long a candidate evaluated in this process may take, empty when its evaluator keeps the
     *     time itself
     */
    public static CandidateRuns local(int threads, long memoryBudget, Optional<Duration> timeout) {
        return new CandidateRuns(Executors.newFixedThreadPool(threads), new MemoryGate(memoryBudget), timeout);
    }

    /**
     * The runs of a config's {@code evaluation:} section: {@code threads} threads, {@code memory_budget} (the JVM's
     * heap when it is left out), and {@code timeout} for candidates evaluated in this process.
     */
    public static CandidateRuns of(EvaluationSettings settings) {
        return local(settings.threads(), settings.memoryBudget().orElse(Runtime.getRuntime().maxMemory()),
                settings.mode() == EvaluationSettings.Mode.IN_PROCESS ? Optional.of(settings.timeout())
                        : Optional.empty());
    }

    public MemoryGate memory() {
        return memory;
    }

    /**
     * Queues a generation's candidates on the evaluation threads, each holding about {@code bytes} of memory while it
     * runs, and returns without waiting: the supplier waits for their results (in the jobs' order). Candidates queued
     * later run as threads come free, so what is queued behind a generation fills the threads its last candidates
     * leave idle. With an evaluator that takes batches ({@code batch} names the batch), the batch runs before this
     * returns.
     */
    public Supplier<List<Result>> begin(String batch, List<Job> jobs, long bytes, Evaluator evaluator,
            Timing timing) {
        if (evaluator instanceof BatchEvaluator b) {
            List<Result> done = batch(batch, jobs, b, true);
            return () -> done;
        }
        List<Future<Result>> futures = new ArrayList<>(jobs.size());
        for (Job job : jobs) {
            futures.add(pool.submit(() -> {
                memory.acquire(bytes);
                try {
                    long start = System.nanoTime();
                    Result r = one(job, evaluator, timing);
                    return new Result(r.outcome(), r.error(), (System.nanoTime() - start) / 1e9);
                } finally {
                    memory.release(bytes);
                }
            }));
        }
        return () -> {
            List<Result> results = new ArrayList<>(jobs.size());
            for (Future<Result> f : futures) {
                try {
                    results.add(f.get());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new RunException("the run was interrupted", "resume it with --resume");
                } catch (ExecutionException e) {
                    throw new IllegalStateException("an evaluation thread failed", e.getCause());
                }
            }
            return results;
        };
    }

    /**
     * Runs candidates on this thread one after another, or all at once when the evaluator takes batches and there
     * are several. Results in the jobs' order.
     */
    public List<Result> inTurn(String batch, List<Job> jobs, Evaluator evaluator, Timing timing) {
        if (!(evaluator instanceof BatchEvaluator b) || jobs.size() < 2) {
            List<Result> out = new ArrayList<>();
            for (Job job : jobs) {
                out.add(one(job, evaluator, timing));
            }
            return out;
        }
        return batch(batch, jobs, b, false);
    }

    /** Builds the candidates, hands those built to the evaluator at once, and frees them. */
    private static List<Result> batch(String name, List<Job> jobs, BatchEvaluator evaluator, boolean timed) {
        List<Built> built = new ArrayList<>();
        List<Integer> positions = new ArrayList<>();
        Result[] out = new Result[jobs.size()];
        try {
            for (int i = 0; i < jobs.size(); i++) {
                try {
                    built.add(jobs.get(i).build().get());
                    positions.add(i);
                } catch (RuntimeException e) {
                    out[i] = Result.failed(describe(e), 0);
                }
            }
            List<EvaluationOutcome> outcomes = built.isEmpty() ? List.of()
                    : evaluator.evaluateAll(name, built.stream().map(Built::candidate).toList());
            for (int k = 0; k < positions.size(); k++) {
                EvaluationOutcome o = outcomes.get(k);
                out[positions.get(k)] = new Result(Optional.of(o), Optional.empty(),
                        timed ? o.duration().toNanos() / 1e9 : 0);
            }
        } finally {
            built.forEach(Built::close);
        }
        return List.of(out);
    }

    /**
     * Builds and evaluates one candidate on this thread, cancelled after the timeout when there is one. The
     * evaluation then runs on a thread of its own, so the thread waiting for it returns at the timeout whatever the
     * evaluation does; the evaluation's thread is interrupted, and its result, if it ever comes, is discarded.
     */
    public Result one(Job job, Evaluator evaluator, Timing timing) {
        if (timeout.isEmpty()) {
            return score(job, evaluator, timing);
        }
        CompletableFuture<Result> result = new CompletableFuture<>();
        Thread worker = Thread.ofPlatform().daemon().name("evomerge-" + job.name()).start(() -> {
            try {
                result.complete(score(job, evaluator, timing));
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        });
        try {
            return result.get(timeout.get().toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            worker.interrupt();
            return Result.failed("timed out after " + asWritten(timeout.get())
                    + " (evaluation.timeout); the evaluation was cancelled", 0);
        } catch (InterruptedException e) {
            worker.interrupt();
            Thread.currentThread().interrupt();
            throw new RunException("the run was interrupted", "resume it with --resume");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Builds and evaluates a candidate; never throws for the candidate's own failure. */
    private static Result score(Job job, Evaluator evaluator, Timing timing) {
        EvaluationOutcome outcome;
        long start = System.nanoTime();
        try (Built built = job.build().get()) {
            long scoring = System.nanoTime();
            timing.addPrepare(scoring - start);
            outcome = evaluator.evaluate(built.candidate());
            timing.addScore(System.nanoTime() - scoring);
        } catch (RuntimeException | OutOfMemoryError e) {
            return Result.failed(describe(e), 0);
        }
        return new Result(Optional.of(outcome), Optional.empty(), 0);
    }

    /** A failure as one line: a user error's message, else the exception's type and message. */
    public static String describe(Throwable e) {
        if (e instanceof EvomergeException user) {
            return user.getMessage();
        }
        if (e instanceof OutOfMemoryError) {
            return "out of memory: " + e.getMessage();
        }
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }

    /** A duration as a config writes it: {@code 90s}, {@code 30m}, {@code 1h30m}. */
    private static String asWritten(Duration d) {
        long s = d.toSeconds();
        String text = (s >= 3600 ? s / 3600 + "h" : "") + (s % 3600 >= 60 ? s % 3600 / 60 + "m" : "")
                + (s % 60 != 0 ? s % 60 + "s" : "");
        return text.isEmpty() ? d.toMillis() + "ms" : text;
    }

    @Override
    public void close() {
        pool.close();
    }
}
