package dev.evomerge.eval;

import dev.evomerge.tensor.io.ExitCleanup;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * An outside command run in a session of its own ({@code setsid}), so that everything it starts — a vLLM server, a
 * double-forked helper that its parent no longer knows — can be found and stopped: {@link #close()} kills every
 * process of the session that is still running, after a time-out, a failure, a success, and (through
 * {@link ExitCleanup}) when evomerge itself is stopped with SIGTERM or Ctrl-C. Only a process that starts a session
 * of its own again escapes, as a daemon means to.
 *
 * <p>Where {@code setsid} is missing the command runs in evomerge's session, and only its descendants are stopped.
 *
 * <p>Not thread-safe; one evaluation owns it in a try-with-resources block.
 */
public final class ProcessSession implements AutoCloseable {

    private static final Path SETSID = Stream.of("/usr/bin/setsid", "/bin/setsid").map(Path::of)
            .filter(Files::isExecutable).findFirst().orElse(null);

    private final boolean ownSession;
    private final ExitCleanup.Registration onExit;
    private volatile Process process;

    private ProcessSession(boolean ownSession) {
        this.ownSession = ownSession;
        // registered before the start, so that a SIGTERM arriving while the command starts still finds it
        this.onExit = ExitCleanup.register(this::kill);
    }

    /** Starts {@code argv} in {@code directory} with its output and error going to the two files. */
    public static ProcessSession start(List<String> argv, Path directory, Path stdout, Path stderr)
            throws IOException {
        List<String> command = new ArrayList<>();
        if (SETSID != null) {
            // a child of the JVM is never a process-group leader, so setsid makes the session without forking:
            // the command keeps the pid we see, and that pid names its session
            command.add(SETSID.toString());
        }
        command.addAll(argv);
        ProcessSession session = new ProcessSession(SETSID != null);
        try {
            session.process = new ProcessBuilder(command).directory(directory.toFile())
                    .redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        } catch (IOException | RuntimeException e) {
            session.onExit.close();
            throw e;
        }
        if (ExitCleanup.exiting()) {
            session.close(); // the exit hook ran while the command started
        }
        return session;
    }

    /** The command's process. */
    public Process process() {
        return process;
    }

    /** Kills every process of the session (or the command's descendants), then waits briefly for the command. */
    public void kill() {
        Process process = this.process;
        if (process == null) {
            return;
        }
        for (int round = 0; round < 3; round++) {
            List<ProcessHandle> left = members(process);
            if (left.isEmpty() && !process.isAlive()) {
                return;
            }
            left.forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            try {
                process.waitFor(2, TimeUnit.SECONDS);
                for (ProcessHandle h : left) {
                    h.onExit().get(1, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception stillRunning) {
                // next round
            }
        }
    }

    /** Kills what is left of the session and forgets it. */
    @Override
    public void close() {
        try {
            kill();
        } finally {
            onExit.close();
        }
    }

    /** Processes of the command's session besides the command (found in /proc), or its descendants. */
    private List<ProcessHandle> members(Process process) {
        List<ProcessHandle> found = new ArrayList<>(process.descendants().toList());
        if (!ownSession) {
            return found;
        }
        long sid = process.pid();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.toList()) {
                String name = p.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit) || Long.parseLong(name) == sid) {
                    continue;
                }
                if (sessionOf(p.resolve("stat")) == sid) {
                    ProcessHandle.of(Long.parseLong(name)).filter(h -> !found.contains(h)).ifPresent(found::add);
                }
            }
        } catch (IOException | RuntimeException e) {
            // no /proc: the descendants are what can be found
        }
        return found;
    }

    /** The session id in /proc/PID/stat: the fourth field after the parenthesized command name. */
    private static long sessionOf(Path stat) {
        try {
            String s = Files.readString(stat);
            String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[3]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
