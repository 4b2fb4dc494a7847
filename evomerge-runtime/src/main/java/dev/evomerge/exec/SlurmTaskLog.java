package dev.evomerge.exec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What an array task left in its candidate's folder besides a result: its Slurm logs ({@code slurm-JOB_INDEX.out}),
 * read to say why a task ended without a result. Stateless.
 */
final class SlurmTaskLog {

    private SlurmTaskLog() {
    }

    /** Why a task ended without a result: the state Slurm gives, else what it wrote in the task's log. */
    static String reason(String state, Path folder) {
        Optional<Path> log = last(folder);
        if (state != null) {
            switch (state) {
                case "CANCELLED" -> {
                    return "was cancelled";
                }
                case "TIMEOUT", "DEADLINE" -> {
                    return "timed out";
                }
                case "NODE_FAIL", "BOOT_FAIL" -> {
                    return "was lost with its node";
                }
                case "OUT_OF_MEMORY" -> {
                    return "ran out of memory";
                }
                case "PREEMPTED" -> {
                    return "was preempted";
                }
                case "FAILED" -> {
                    return "failed" + log.map(l -> " (see " + l + ")").orElse("");
                }
                default -> {
                    // COMPLETED without a result, or another end: what the log says
                }
            }
        }
        String text = log.map(SlurmTaskLog::readOrNull).orElse(null);
        if (text != null) {
            for (String line : text.split("\n")) {
                if (line.contains("CANCELLED") && line.contains("DUE TO TIME LIMIT")) {
                    return "timed out";
                }
                if (line.contains("DUE TO NODE FAILURE")) {
                    return "was lost with its node";
                }
                if (line.contains("CANCELLED")) {
                    return "was cancelled";
                }
                if (line.contains("DUE TO PREEMPTION")) {
                    return "was preempted";
                }
            }
        }
        return "ended without a result" + log.map(l -> " (see " + l + ")").orElse("");
    }

    /** The last ten lines of the folder's latest log, or an empty text when it has none. */
    static String tail(Path folder) {
        String text = last(folder).map(SlurmTaskLog::readOrNull).orElse("");
        String[] lines = text.stripTrailing().split("\n");
        return String.join("\n", List.of(lines).subList(Math.max(0, lines.length - 10), lines.length));
    }

    /** A file's text, or null when it cannot be read (a log that is not there yet). */
    static String readOrNull(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return null;
        }
    }

    private static Optional<Path> last(Path folder) {
        try (var files = Files.list(folder)) {
            return files.filter(p -> p.getFileName().toString().startsWith("slurm-")).max((a, b) -> {
                try {
                    return Files.getLastModifiedTime(a).compareTo(Files.getLastModifiedTime(b));
                } catch (IOException e) {
                    return 0;
                }
            });
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
