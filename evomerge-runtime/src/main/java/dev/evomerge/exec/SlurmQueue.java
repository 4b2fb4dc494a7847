package dev.evomerge.exec;

import dev.evomerge.diag.RunException;
import dev.evomerge.event.EventListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A batch's array tasks as the controller knows them: by array index, those still to run or running (pending,
 * running, requeued, ...) with their task id ({@code 37_2}) and, for the others, the state the latest submission
 * ended in (while the controller still remembers it).
 *
 * @param active the tasks still to run or running, by array index
 * @param ended the state each other task's latest submission ended in, by array index
 */
record SlurmQueue(Map<Integer, String> active, Map<Integer, String> ended) {

    /** How long the controller may stay unreachable (a restart) before the run gives up. */
    private static final Duration CONTROLLER_PATIENCE = Duration.ofMinutes(5);
    /** Job states after which a task runs no more. */
    private static final Set<String> ENDED = Set.of("COMPLETED", "CANCELLED", "FAILED", "TIMEOUT", "NODE_FAIL",
            "PREEMPTED", "BOOT_FAIL", "DEADLINE", "OUT_OF_MEMORY", "REVOKED", "SPECIAL_EXIT");

    /**
     * Asks {@code squeue} about the tasks of the jobs named {@code jobName}. A controller that does not answer (a
     * restart) is asked again every second for {@link #CONTROLLER_PATIENCE} before the run gives up.
     */
    static SlurmQueue ask(String jobName, EventListener events) {
        long since = System.nanoTime();
        while (true) {
            try {
                return parse(SlurmCommand.run(List.of("squeue", "--noheader", "--array", "--states=all",
                        "--name=" + jobName, "--format=%i|%T")));
            } catch (RunException e) {
                if (System.nanoTime() - since > CONTROLLER_PATIENCE.toNanos()) {
                    throw e;
                }
                events.debug("squeue did not answer (" + e.getMessage() + "); asking again");
                SlurmCommand.sleep(Duration.ofSeconds(1));
            }
        }
    }

    /** This queue without the tasks of {@code indices} (cancelled). */
    SlurmQueue without(Set<Integer> indices) {
        Map<Integer, String> left = new TreeMap<>(active);
        indices.forEach(left::remove);
        return new SlurmQueue(left, ended);
    }

    /** The queue from {@code squeue}'s lines {@code JOB_INDEX|STATE}; of several jobs, the latest counts. */
    private static SlurmQueue parse(String out) {
        Map<Integer, String> active = new TreeMap<>();
        Map<Integer, String> ended = new TreeMap<>();
        Map<Integer, Long> endedJob = new HashMap<>();
        Map<Integer, Long> activeJob = new HashMap<>();
        for (String line : out.split("\n")) {
            String[] f = line.strip().split("\\|");
            int us = f[0].indexOf('_');
            if (f.length < 2 || us < 0) {
                continue;
            }
            long job = Long.parseLong(f[0].substring(0, us));
            String state = f[1].strip();
            for (int i : indices(f[0].substring(us + 1))) {
                if (!ENDED.contains(state)) {
                    if (job >= activeJob.getOrDefault(i, -1L)) {
                        activeJob.put(i, job);
                        active.put(i, job + "_" + i);
                    }
                } else if (job >= endedJob.getOrDefault(i, -1L)) {
                    endedJob.put(i, job);
                    ended.put(i, state);
                }
            }
        }
        return new SlurmQueue(active, ended);
    }

    /** The indices of {@code 3} or of a pending array not yet split, {@code [0-3,5%2]}. */
    private static List<Integer> indices(String text) {
        if (!text.startsWith("[")) {
            return List.of(Integer.parseInt(text));
        }
        int close = text.indexOf(']');
        List<Integer> out = new ArrayList<>();
        for (String part : text.substring(1, close < 0 ? text.length() : close).split("%")[0].split(",")) {
            String[] range = part.split("-");
            int from = Integer.parseInt(range[0]);
            int to = range.length > 1 ? Integer.parseInt(range[1]) : from;
            for (int i = from; i <= to; i++) {
                out.add(i);
            }
        }
        return out;
    }
}
