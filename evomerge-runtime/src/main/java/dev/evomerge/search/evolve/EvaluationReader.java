package dev.evomerge.search.evolve;

import static dev.evomerge.search.evolve.EvolveValues.atLeast;
import static dev.evomerge.search.evolve.EvolveValues.byteSize;
import static dev.evomerge.search.evolve.EvolveValues.duration;

import dev.evomerge.config.YamlEnums;
import dev.evomerge.config.YamlNode;
import dev.evomerge.config.YamlScalar;
import dev.evomerge.diag.ConfigException;
import dev.evomerge.diag.SourceLocation;
import dev.evomerge.eval.CommandTemplate;
import dev.evomerge.event.EventListener;
import dev.evomerge.search.evolve.EvolveValues.OptionalSection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.function.Function;

/**
 * Reads the {@code evaluation:} section of an {@code evolve.yml} into {@link EvaluationSettings}: where candidates
 * run (in this process, an external command, Slurm with its {@code slurm:} settings), how many at once and within
 * which memory, and for how long. Every key has a default, the section too. Stateless.
 */
final class EvaluationReader {

    private static final List<String> EVALUATION_KEYS = List.of("mode", "batch_size", "threads", "memory_budget",
            "limit", "command", "timeout", "slurm");
    private static final List<String> SLURM_KEYS = List.of("partition", "gres", "time", "array_parallelism",
            "sbatch_args", "retries", "evomerge", "poll");
    private static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(30);

    private EvaluationReader() {
    }

    /**
     * The {@code evaluation:} settings, the defaults where {@code node} is absent.
     *
     * @param rootLocation where the defaults apply when the section is left out
     */
    static EvaluationSettings read(Optional<YamlNode> node, SourceLocation rootLocation, EventListener events) {
        OptionalSection values = OptionalSection.read(node, "evaluation", EVALUATION_KEYS, rootLocation, events);
        Map<String, SourceLocation> keys = values.keyLocations();
        SourceLocation location = values.location();
        EvaluationSettings.Mode mode = values.get("mode").map(n -> mode(n.asScalar()))
                .orElse(EvaluationSettings.Mode.IN_PROCESS);
        int batch = values.get("batch_size").map(n -> atLeast(n.asScalar(), "batch_size", 1, 65_536,
                "give the requests per forward pass, for example 8")).orElse(8);
        int threads = values.get("threads").map(n -> atLeast(n.asScalar(), "threads", 1, 1024,
                "give the candidates evaluated at once, for example 1")).orElse(1);
        OptionalLong memoryBudget = values.get("memory_budget").map(n -> OptionalLong.of(byteSize(n.asScalar(),
                "give the memory candidates evaluated at once may hold together, for example 16G")))
                .orElse(OptionalLong.empty());
        OptionalInt limit = values.get("limit").map(n -> OptionalInt.of(atLeast(n.asScalar(), "limit", 1,
                Integer.MAX_VALUE, "give the documents per task and split, or leave it out for all")))
                .orElse(OptionalInt.empty());
        Optional<String> command = values.get("command").map(n -> n.asScalar().asText("a command line"));
        Optional<SlurmSettings> slurm = Optional.empty();
        if (mode == EvaluationSettings.Mode.SLURM) {
            slurm = Optional.of(slurm(values.get("slurm"), location, events));
            values.get("command").ifPresent(at -> checkCommand(at, command.get()));
        } else if (values.get("slurm").isPresent()) {
            events.warn("'slurm' is ignored: mode is " + mode.configName(), keys.get("slurm"));
        }
        if (mode == EvaluationSettings.Mode.COMMAND) {
            if (command.isEmpty()) {
                throw new ConfigException(keys.getOrDefault("mode", location), "mode command needs 'command'",
                        "give the command line with {model_dir} and {output}, for example lm_eval --model vllm"
                                + " --model_args pretrained={model_dir} --tasks TASK --output_path {output}");
            }
            checkCommand(values.get("command").orElseThrow(), command.get());
        } else if (command.isPresent() && mode == EvaluationSettings.Mode.IN_PROCESS) {
            events.warn("'command' is ignored: mode is in_process", keys.get("command"));
        }
        Duration timeout = values.get("timeout").map(n -> duration(n.asScalar())).orElse(DEFAULT_TIMEOUT);
        return new EvaluationSettings(mode, batch, threads, memoryBudget, limit, command, timeout, location, keys,
                slurm);
    }

    private static void checkCommand(YamlNode at, String command) {
        try {
            CommandTemplate.parse(command);
        } catch (IllegalArgumentException e) {
            throw at.error("the command is not usable: " + e.getMessage(), "quote as a shell would, and write"
                    + " {model_dir} where the model directory goes and {output} where the results go");
        }
    }

    private static SlurmSettings slurm(Optional<YamlNode> node, SourceLocation evaluation, EventListener events) {
        OptionalSection values = OptionalSection.read(node, "slurm", SLURM_KEYS, evaluation, events);
        Function<String, Optional<String>> text = key -> values.get(key).map(n -> n.asScalar().asString());
        int parallelism = values.get("array_parallelism").map(n -> atLeast(n.asScalar(), "array_parallelism", 1,
                1_000_000, "give how many tasks of a generation may run at once, or leave it out for no cap"))
                .orElse(0);
        int retries = values.get("retries").map(n -> atLeast(n.asScalar(), "retries", 0, 100,
                "give how often a failed task is submitted again, for example 2")).orElse(2);
        List<String> sbatch = values.get("sbatch_args").map(n -> words(n, "an sbatch argument")).orElse(List.of());
        Optional<List<String>> evomerge = values.get("evomerge").map(n -> words(n, "a word of a command line"));
        if (evomerge.isPresent() && evomerge.get().isEmpty()) {
            throw values.get("evomerge").orElseThrow().error("'evomerge' is empty", "give how a node starts"
                    + " evomerge, for example java -jar /shared/evomerge-cli.jar, or leave it out");
        }
        Duration poll = values.get("poll").map(n -> duration(n.asScalar())).orElse(SlurmSettings.DEFAULT_POLL);
        return new SlurmSettings(text.apply("partition"), text.apply("gres"), text.apply("time"), parallelism,
                sbatch, retries, evomerge.orElse(List.of()), poll);
    }

    /** A list of words, or one text split at white space. */
    private static List<String> words(YamlNode n, String what) {
        if (n instanceof YamlScalar s) {
            String t = s.asText(what).strip();
            return t.isEmpty() ? List.of() : List.of(t.split("\\s+"));
        }
        List<String> out = new ArrayList<>();
        for (YamlNode item : n.asSequence().items()) {
            out.add(item.asScalar().asText(what));
        }
        return out;
    }

    private static EvaluationSettings.Mode mode(YamlScalar s) {
        String text = s.asString();
        return YamlEnums.named(EvaluationSettings.Mode.class, text).orElseThrow(
                () -> s.error("unknown evaluation mode '" + text + "'", "use in_process, command or slurm"));
    }
}
