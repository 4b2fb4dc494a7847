package dev.evomerge.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.evomerge.event.EventListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An evaluator command and everything it started, including a double-forked child that its parent no longer knows,
 * is stopped on a time-out, on a failure, and when evomerge itself gets SIGTERM.
 */
class ProcessSessionTest {

    @TempDir
    Path dir;

    /** Starts {@code sleep 300} twice removed (its parent shell exits at once), writes its pid, then runs on. */
    private Path script(String then) throws IOException {
        Path pidFile = dir.resolve("grandchild.pid");
        Path s = dir.resolve("eval.sh");
        Files.writeString(s, "#!/bin/sh\nsh -c 'sleep 300 & echo $! > " + pidFile + "'\n" + then + "\n");
        s.toFile().setExecutable(true);
        return s;
    }

    private long grandchild() throws Exception {
        Path pidFile = dir.resolve("grandchild.pid");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while ((!Files.exists(pidFile) || Files.readString(pidFile).isBlank()) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        return Long.parseLong(Files.readString(pidFile).strip());
    }

    private static boolean alive(long pid) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                Thread.sleep(20);
            } else {
                return false;
            }
        }
        return true;
    }

    private long started = -1;

    @AfterEach
    void noLeftovers() {
        if (started > 0) {
            ProcessHandle.of(started).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    private EvaluationOutcome evaluate(Path script, Duration timeout) {
        var e = new ExternalEvaluator(CommandTemplate.parse(script + " {model_dir} {output}"), timeout,
                dir.resolve("evals"), List.of(), EventListener.NONE);
        return e.evaluate(Candidate.of(dir));
    }

    @Test
    void timeout_doubleForkedChild_killedWithTheCommand() throws Exception {
        EvaluationOutcome o = evaluate(script("sleep 300"), Duration.ofSeconds(2));
        started = grandchild();
        var failed = assertInstanceOf(EvaluationOutcome.Failed.class, o);
        assertTrue(failed.reason().contains("timed out"), failed.reason());
        assertFalse(alive(started), "the double-forked child outlived the time-out");
    }

    @Test
    void failure_doubleForkedChild_killedWhenTheCommandExits() throws Exception {
        EvaluationOutcome o = evaluate(script("exit 3"), Duration.ofSeconds(60));
        started = grandchild();
        var failed = assertInstanceOf(EvaluationOutcome.Failed.class, o);
        assertEquals("eval.sh exited with status 3", failed.reason().replace(dir + "/", ""));
        assertFalse(alive(started), "the double-forked child outlived the failed command");
    }

    @Test
    void sigterm_evaluatingJvm_commandAndItsChildrenStopped() throws Exception {
        Path s = script("sleep 300");
        Process jvm = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Child.class.getName(), s.toString(), dir.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("jvm.log").toFile()).start();
        try {
            started = grandchild();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (jvm.descendants().noneMatch(h -> h.info().command().orElse("").endsWith("sleep"))
                    && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            Thread.sleep(500); // the evaluator registers the command's session just after starting it
            List<ProcessHandle> command = jvm.descendants().toList();
            assertFalse(command.isEmpty());
            jvm.destroy(); // SIGTERM
            assertTrue(jvm.waitFor(20, TimeUnit.SECONDS));
            assertFalse(alive(started), "the double-forked child outlived evomerge");
            for (ProcessHandle h : command) {
                assertFalse(alive(h.pid()), "the command outlived evomerge: " + h.info());
            }
        } finally {
            jvm.destroyForcibly();
        }
    }

    /** Evaluates one candidate with the script given, with a long time-out, until it is stopped. */
    public static final class Child {
        public static void main(String[] args) {
            Path dir = Path.of(args[1]);
            new ExternalEvaluator(CommandTemplate.parse(args[0] + " {model_dir} {output}"), Duration.ofHours(1),
                    dir.resolve("evals-child"), List.of(), EventListener.NONE).evaluate(Candidate.of(dir));
        }
    }
}
