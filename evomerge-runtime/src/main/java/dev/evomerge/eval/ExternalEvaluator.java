package dev.evomerge.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.evomerge.diag.EvomergeException;
import dev.evomerge.diag.InputException;
import dev.evomerge.eval.fitness.Objective;
import dev.evomerge.eval.fitness.Scores;
import dev.evomerge.eval.harness.TaskRun;
import dev.evomerge.eval.harness.LmEvalResults;
import dev.evomerge.event.EventListener;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Evaluates a model directory by running a command, typically lm-evaluation-harness with vLLM on a GPU machine, and
 * reading lm-evaluation-harness's results JSON ({@link LmEvalResults}).
 *
 * <p>Each evaluation gets a fresh folder under the work root: the command runs there with {@code {output}} pointing
 * at {@code results} inside it (not created: the command creates a file or a folder), its standard output and error
 * go to {@code stdout.log} and {@code stderr.log} there. The command runs as a process without a shell
 * ({@link CommandTemplate}) in a session of its own ({@link ProcessSession}); when it ends, fails or runs past
 * {@code timeout}, every process of that session is killed. A command that cannot
 * start, exits with a non-zero status, runs out of time, or leaves no results (or results without the required
 * metrics) is an {@link EvaluationOutcome.Failed} carrying the end of its standard error. A command that uses
 * {@code {samples}} gets {@code samples.json} in that folder: per task, the positions of the documents its task runs
 * score ({@link TaskRun#positions()}), what lm-evaluation-harness's {@code --samples} reads.
 *
 * {@snippet :
 * Evaluator e = new ExternalEvaluator(CommandTemplate.parse("lm_eval --model vllm"
 *         + " --model_args pretrained={model_dir} --tasks gsm8k --output_path {output}"),
 *         Duration.ofHours(1), workDir, List.of(Objective.of("gsm8k", "exact_match,strict-match")), events);
 * EvaluationOutcome o = e.evaluate(Candidate.of(mergedDir));
 * }
 *
 * <p>Thread-safe: evaluations may run at once, each in its own folder.
 */
public final class ExternalEvaluator implements Evaluator {

    /** How much of the end of standard error a failure carries. */
    static final int TAIL_LINES = 20;
    static final int TAIL_BYTES = 4096;

    private final CommandTemplate command;
    private final Duration timeout;
    private final Path workRoot;
    private final List<Objective> required;
    private final EventListener events;
    private final List<TaskRun> runs;

    /**
     * @param command the command with {@code {model_dir}} and {@code {output}}
     * @param timeout how long one evaluation may take
     * @param workRoot where each evaluation gets its folder (created if missing)
     * @param required metrics the results must hold (the fitness objectives)
     * @param events lifecycle messages
     */
    public ExternalEvaluator(CommandTemplate command, Duration timeout, Path workRoot, List<Objective> required,
            EventListener events) {
        this(command, timeout, workRoot, required, List.of(), events);
    }

    /**
     * @param command the command with {@code {model_dir}}, {@code {output}} and optionally {@code {samples}}
     * @param timeout how long one evaluation may take
     * @param workRoot where each evaluation gets its folder (created if missing)
     * @param required metrics the results must hold (the fitness objectives)
     * @param runs the tasks and documents to score, written for {@code {samples}}
     * @param events lifecycle messages
     */
    public ExternalEvaluator(CommandTemplate command, Duration timeout, Path workRoot, List<Objective> required,
            List<TaskRun> runs, EventListener events) {
        this.runs = List.copyOf(runs);
        this.command = Objects.requireNonNull(command, "command");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, got " + timeout);
        }
        this.workRoot = Objects.requireNonNull(workRoot, "workRoot");
        this.required = List.copyOf(required);
        this.events = Objects.requireNonNull(events, "events");
    }

    /** The same evaluator on other runs (another generation's document subsets). */
    public ExternalEvaluator withRuns(List<TaskRun> other) {
        return new ExternalEvaluator(command, timeout, workRoot, required, other, events);
    }

    @Override
    public EvaluationOutcome evaluate(Candidate candidate) {
        long start = System.nanoTime();
        if (!(candidate instanceof Candidate.Directory dir)) {
            return failed(candidate, "an external evaluator needs a model directory; write the candidate out first",
                    "", start);
        }
        Path work;
        try {
            Files.createDirectories(workRoot);
            work = Files.createTempDirectory(workRoot, safe(candidate.name()) + "-");
        } catch (IOException e) {
            throw new InputException(workRoot, "cannot create the evaluation folder: " + e.getMessage(),
                    "check that the work folder is writable", e);
        }
        Path output = work.resolve("results");
        Path stdout = work.resolve("stdout.log");
        Path stderr = work.resolve("stderr.log");
        List<String> argv;
        if (command.usesSamples()) {
            if (runs.isEmpty()) {
                return failed(candidate, "the command uses " + CommandTemplate.SAMPLES + " but this evaluation names"
                        + " no tasks to write into it", "", start);
            }
            Path samples = work.resolve("samples.json");
            try {
                writeSamples(samples);
            } catch (IOException e) {
                return failed(candidate, "cannot write " + samples + ": " + e.getMessage(), "", start);
            } catch (EvomergeException e) {
                return failed(candidate, e.userMessage(), "", start);
            }
            argv = command.expand(dir.dir().toAbsolutePath(), output, samples);
        } else {
            argv = command.expand(dir.dir().toAbsolutePath(), output);
        }
        events.lifecycle("evaluating " + candidate.name() + " with " + command.program() + " in " + work);
        int status;
        // the command runs in a session of its own, killed as a whole when it ends, fails, times out or we stop
        try (ProcessSession session = ProcessSession.start(argv, work, stdout, stderr)) {
            if (!session.process().waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                session.kill();
                return failed(candidate, command.program() + " timed out after " + seconds(timeout)
                        + " and was stopped", tail(stderr), start);
            }
            status = session.process().exitValue();
        } catch (IOException e) {
            return failed(candidate, "cannot start " + command.program() + ": " + e.getMessage(), "", start);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return failed(candidate, "interrupted; " + command.program() + " was stopped", tail(stderr), start);
        }
        if (status != 0) {
            return failed(candidate, command.program() + " exited with status " + status, tail(stderr), start);
        }
        Optional<Path> file = LmEvalResults.locate(output);
        if (file.isEmpty()) {
            return failed(candidate, command.program() + " succeeded but wrote no results JSON at " + output
                    + " (looked for the file, results*.json under it, and results_*.json beside it)", tail(stderr),
                    start);
        }
        Scores scores;
        try {
            scores = LmEvalResults.read(file.get());
        } catch (IOException | IllegalArgumentException e) {
            return failed(candidate, "cannot read the results " + file.get() + ": " + e.getMessage(), tail(stderr),
                    start);
        }
        List<String> missing = new ArrayList<>();
        for (Objective o : required) {
            if (scores.get(o.task(), o.metric()).isEmpty()) {
                missing.add(o.task() + " " + o.metric());
            }
        }
        if (!missing.isEmpty()) {
            return failed(candidate, "the results " + file.get() + " lack " + String.join(", ", missing)
                    + " (they hold " + scores.values().keySet() + ")", tail(stderr), start);
        }
        return new EvaluationOutcome.Scored(candidate.name(), scores, Optional.empty(), since(start));
    }

    /** Writes {@code {"task": [positions]}} for every run. */
    private void writeSamples(Path file) throws IOException {
        ObjectMapper json = JsonMapper.builder().build();
        ObjectNode root = json.createObjectNode();
        for (TaskRun run : runs) {
            var positions = root.putArray(run.task().name());
            run.positions().forEach(positions::add);
        }
        Files.writeString(file, json.writeValueAsString(root));
    }

    /** The last lines of a log, at most {@link #TAIL_BYTES} bytes of it. */
    static String tail(Path log) {
        try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
            long length = f.length();
            int n = (int) Math.min(length, TAIL_BYTES);
            byte[] bytes = new byte[n];
            f.seek(length - n);
            f.readFully(bytes);
            String text = new String(bytes, StandardCharsets.UTF_8).stripTrailing();
            String[] lines = text.split("\n", -1);
            int from = Math.max(0, lines.length - TAIL_LINES);
            return String.join("\n", java.util.Arrays.asList(lines).subList(from, lines.length));
        } catch (IOException e) {
            return "";
        }
    }

    private static EvaluationOutcome.Failed failed(Candidate c, String reason, String detail, long start) {
        return new EvaluationOutcome.Failed(c.name(), reason, detail, since(start));
    }

    private static Duration since(long start) {
        return Duration.ofNanos(System.nanoTime() - start);
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    /** A folder-name-safe version of a candidate name. */
    private static String safe(String name) {
        String s = name.replaceAll("[^A-Za-z0-9._-]+", "_");
        s = s.length() > 40 ? s.substring(s.length() - 40) : s;
        return s.isEmpty() ? "candidate" : s;
    }
}
