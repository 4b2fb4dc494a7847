package dev.evomerge.exec;

import dev.evomerge.diag.RunException;
import dev.evomerge.eval.BatchEvaluator;
import dev.evomerge.eval.Candidate;
import dev.evomerge.eval.EvaluationOutcome;
import dev.evomerge.eval.fitness.Objective;
import dev.evomerge.eval.harness.TaskRun;
import dev.evomerge.event.EventListener;
import dev.evomerge.search.evolve.EvolveConfig;
import dev.evomerge.search.evolve.SlurmSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Evaluates candidates as Slurm job arrays (the driver side of {@code evaluation.mode: slurm}). A batch (a
 * generation) gets a folder {@code WORK/slurm/BATCH/} with one sub-folder per candidate holding its
 * {@code candidate.json} (and {@code recipe.yml}); one {@code sbatch --array} submits a task per candidate that has
 * no {@code result.json} yet, each running {@code evomerge run-candidate} in its folder ({@link CandidateTask}). The
 * driver only submits and polls {@code squeue} (every {@link SlurmSettings#poll()}), never holding a node itself.
 *
 * <p>Faults: a task that leaves the queue without a result (it failed, was cancelled, timed out, or its node died
 * without requeueing it) is submitted again, up to {@link SlurmSettings#retries()} times, then its candidate fails
 * with the reason Slurm wrote in its log; tasks Slurm requeues itself (a node going down, with {@code --requeue})
 * are simply waited for. The number of submissions per candidate is kept in {@code submissions.json}, and every
 * job of a batch carries a name derived from the work directory and the batch, so a driver that was killed finds,
 * when resumed, the results that finished meanwhile and the tasks still queued, and submits only what is missing. A
 * folder whose description differs from the candidate now asked for (another run wrote it) is started afresh.
 *
 * <p>Not thread-safe: a search hands it one batch at a time.
 */
public final class SlurmEvaluator implements BatchEvaluator {

    /** How long a task that ended well may take to show its result on a shared file system. */
    private static final Duration RESULT_GRACE = Duration.ofSeconds(10);

    private final SlurmSettings settings;
    private final SlurmFolders folders;
    private final SlurmArray array;
    private final EventListener events;

    /** The evaluator for one set of task runs of a run (see {@link Evaluators}). */
    public SlurmEvaluator(EvolveConfig config, List<TaskRun> runs, List<Objective> required, Path workDirectory,
            EventListener events) {
        this.settings = config.evaluation().slurm()
                .orElseThrow(() -> new IllegalArgumentException("not a slurm config"));
        this.folders = new SlurmFolders(workDirectory, config.evaluation(),
                runs.stream().map(CandidateSpec.Run::of).toList(), required, config.search().seed());
        this.events = Objects.requireNonNull(events, "events");
        this.array = new SlurmArray(settings, events);
    }

    @Override
    public List<EvaluationOutcome> evaluateAll(String batch, List<Candidate> candidates) {
        long start = System.nanoTime();
        long entered = System.currentTimeMillis();
        long firstSubmission = 0;
        Path dir = folders.batch(batch);
        String jobName = folders.jobName(batch);
        int n = candidates.size();
        EvaluationOutcome[] outcomes = new EvaluationOutcome[n];
        String[] keys = new String[n];
        for (int i = 0; i < n; i++) {
            keys[i] = folders.key(candidates.get(i));
            outcomes[i] = folders.remembered(keys[i], candidates.get(i).name()).orElse(null);
        }
        if (!missing(outcomes).isEmpty()) {
            try {
                Files.createDirectories(dir);
            } catch (IOException e) {
                throw new RunException("cannot create " + dir + ": " + e.getMessage(), "check that the work"
                        + " directory is writable (and shared with the nodes)", e);
            }
        }
        Map<Integer, Integer> submitted = SlurmFolders.submissions(dir);
        Set<Integer> restarted = new LinkedHashSet<>();
        for (int i = 0; i < n; i++) {
            if (outcomes[i] != null) {
                continue;
            }
            if (folders.describe(dir.resolve(Integer.toString(i)), candidates.get(i))) {
                submitted.remove(i);
                restarted.add(i);
            }
            outcomes[i] = folders.collect(dir, i, keys[i]).orElse(null);
        }
        Set<Integer> missing = missing(outcomes);
        if (!missing.isEmpty()) {
            SlurmQueue queued = SlurmQueue.ask(jobName, events);
            List<String> stale = restarted.stream().map(queued.active()::get).filter(Objects::nonNull).toList();
            if (!stale.isEmpty()) {
                // tasks of a candidate this folder described before would write the wrong result into it
                List<String> argv = new ArrayList<>(List.of("scancel"));
                argv.addAll(stale);
                SlurmCommand.run(argv);
                queued = queued.without(restarted);
            }
            Set<Integer> toSubmit = new LinkedHashSet<>();
            for (int i : missing) {
                if (queued.active().containsKey(i)) {
                    continue;
                }
                if (submitted.getOrDefault(i, 0) == 0) {
                    toSubmit.add(i);
                } else {
                    failed(dir, i, submitted, outcomes, toSubmit, candidates, queued.ended().get(i));
                }
            }
            int found = n - missing.size();
            events.debug(String.format(Locale.ROOT, "%s: %d candidates as Slurm array tasks (%s%d queued, %d to"
                    + " submit)", batch, n, found > 0 ? found + " already scored, " : "", queued.active().size(),
                    toSubmit.size()));
            Map<Integer, Long> grace = new HashMap<>();
            while (!missing(outcomes).isEmpty()) {
                if (!toSubmit.isEmpty()) {
                    if (firstSubmission == 0) {
                        firstSubmission = System.currentTimeMillis();
                    }
                    array.submit(dir, jobName, toSubmit);
                    toSubmit.forEach(i -> submitted.merge(i, 1, Integer::sum));
                    SlurmFolders.writeSubmissions(dir, submitted);
                    toSubmit.clear();
                }
                SlurmCommand.sleep(settings.poll());
                queued = SlurmQueue.ask(jobName, events);
                long now = System.currentTimeMillis();
                for (int i : missing(outcomes)) {
                    if (queued.active().containsKey(i)) {
                        grace.remove(i);
                        continue;
                    }
                    Optional<EvaluationOutcome> result = folders.collect(dir, i, keys[i]);
                    if (result.isPresent()) {
                        outcomes[i] = result.get();
                    } else if ("COMPLETED".equals(queued.ended().get(i))
                            && now - grace.computeIfAbsent(i, k -> now) < RESULT_GRACE.toMillis()) {
                        // a shared file system may show the result a moment after the task ended
                        continue;
                    } else {
                        grace.remove(i);
                        failed(dir, i, submitted, outcomes, toSubmit, candidates, queued.ended().get(i));
                    }
                }
            }
        }
        events.debug(String.format(Locale.ROOT, "slurm batch %s: %d results in %.1f s (entered_ms=%d submitted_ms=%d"
                + " collected_ms=%d)", batch, n, (System.nanoTime() - start) / 1e9, entered, firstSubmission,
                System.currentTimeMillis()));
        return List.of(outcomes);
    }

    /** A task that left the queue without a result: submitted again, or its candidate failed for good. */
    private void failed(Path dir, int i, Map<Integer, Integer> submitted, EvaluationOutcome[] outcomes,
            Set<Integer> toSubmit, List<Candidate> candidates, String state) {
        Path folder = dir.resolve(Integer.toString(i));
        String reason = SlurmTaskLog.reason(state, folder);
        int times = submitted.getOrDefault(i, 0);
        if (times <= settings.retries()) {
            events.warn(String.format(Locale.ROOT, "%s: its array task %s; submitting it again (%d of %d retries)",
                    candidates.get(i).name(), reason, times, settings.retries()));
            toSubmit.add(i);
        } else {
            outcomes[i] = new EvaluationOutcome.Failed(candidates.get(i).name(), "its Slurm array task " + reason
                    + (times > 1 ? " (submitted " + times + " times)" : ""), SlurmTaskLog.tail(folder), Duration.ZERO);
        }
    }

    private static Set<Integer> missing(EvaluationOutcome[] outcomes) {
        Set<Integer> m = new LinkedHashSet<>();
        for (int i = 0; i < outcomes.length; i++) {
            if (outcomes[i] == null) {
                m.add(i);
            }
        }
        return m;
    }
}
