package dev.evomerge.search.evolve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.evomerge.diag.ConfigException;
import dev.evomerge.event.Event;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code evaluation.slurm:} section of {@code evolve.yml}: its keys, defaults, and the mistakes. */
class SlurmSettingsReaderTest {

    private static final String HEAD = """
            genome: {models: [a, b], merge_method: linear}
            tasks: [{file: tasks/words.yaml}]
            """;

    @TempDir
    Path dir;

    private final List<String> warnings = new ArrayList<>();

    @BeforeEach
    void taskFile() throws IOException {
        Files.createDirectories(dir.resolve("tasks"));
        Files.writeString(dir.resolve("tasks/words.yaml"), "task: words\n");
    }

    private EvaluationSettings read(String evaluation) throws IOException {
        Path file = dir.resolve("evolve.yml");
        Files.writeString(file, HEAD + evaluation);
        return EvolveConfigReader.read(file, e -> warnings.add(((Event.Warning) e).text().replace(dir + "/", "")))
                .evaluation();
    }

    @Test
    void everyKey() throws IOException {
        EvaluationSettings e = read("""
                evaluation:
                  mode: slurm
                  command: "lm_eval --model vllm --model_args pretrained={model_dir} --output_path {output}"
                  slurm:
                    partition: gpu
                    gres: gpu:1
                    time: 01:00:00
                    array_parallelism: 8
                    sbatch_args: [--mem=96G, "--account=merge team"]
                    retries: 3
                    evomerge: java -Xmx80g -jar /shared/evomerge-cli.jar
                    poll: 2s
                """);
        assertEquals(EvaluationSettings.Mode.SLURM, e.mode());
        assertEquals(new SlurmSettings(Optional.of("gpu"), Optional.of("gpu:1"), Optional.of("01:00:00"), 8,
                List.of("--mem=96G", "--account=merge team"), 3,
                List.of("java", "-Xmx80g", "-jar", "/shared/evomerge-cli.jar"), Duration.ofSeconds(2)),
                e.slurm().orElseThrow());
        assertEquals(Optional.of("lm_eval --model vllm --model_args pretrained={model_dir} --output_path {output}"),
                e.command());
        assertEquals(List.of(), warnings);
    }

    @Test
    void defaults() throws IOException {
        EvaluationSettings e = read("evaluation: {mode: slurm, slurm: {sbatch_args: --mem=8G --cpus-per-task=4}}\n");
        assertEquals(new SlurmSettings(Optional.empty(), Optional.empty(), Optional.empty(), 0,
                List.of("--mem=8G", "--cpus-per-task=4"), 2, List.of(), SlurmSettings.DEFAULT_POLL),
                e.slurm().orElseThrow());
        assertEquals(Optional.empty(), e.command());
        assertEquals(SlurmSettings.DEFAULT_POLL, read("evaluation: {mode: slurm}\n").slurm().orElseThrow().poll());
    }

    @Test
    void slurmSectionInAnotherMode_warnedAndIgnored() throws IOException {
        EvaluationSettings e = read("evaluation: {mode: in_process, slurm: {partition: gpu}}\n");
        assertEquals(Optional.empty(), e.slurm());
        assertEquals(List.of("evolve.yml:3:32 (evaluation.slurm): 'slurm' is ignored: mode is in_process"),
                warnings);
    }

    @Test
    void mistakes_oneLineEach() {
        var unknownMode = assertThrows(ConfigException.class, () -> read("evaluation: {mode: cluster}\n"));
        assertEquals("evolve.yml:3:20 (evaluation.mode): unknown evaluation mode 'cluster'; use in_process, command"
                + " or slurm", unknownMode.userMessage().replace(dir + "/", ""));
        var retries = assertThrows(ConfigException.class, () -> read(
                "evaluation: {mode: slurm, slurm: {retries: -1}}\n"));
        assertEquals("evolve.yml:3:44 (evaluation.slurm.retries)", retries.location().orElseThrow().toString()
                .replace(dir + "/", ""));
        var command = assertThrows(ConfigException.class, () -> read(
                "evaluation: {mode: slurm, command: lm_eval --tasks x}\n"));
        assertEquals(true, command.userMessage().contains("the command is not usable"), command.userMessage());
    }
}
