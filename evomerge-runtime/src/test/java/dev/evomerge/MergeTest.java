package dev.evomerge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.evomerge.config.MergeConfigFile;
import dev.evomerge.diag.InputException;
import dev.evomerge.diag.RunException;
import dev.evomerge.event.EventListener;
import dev.evomerge.merge.MergeExecutor;
import dev.evomerge.merge.MergeModels;
import dev.evomerge.merge.MergePlanner;
import dev.evomerge.model.Architectures;
import dev.evomerge.model.ModelResolver;
import dev.evomerge.model.SyntheticModel;
import dev.evomerge.tensor.DType;
import dev.evomerge.tensor.io.InMemoryTensors;
import dev.evomerge.tensor.io.SafetensorsModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MergeTest {

    @TempDir
    static Path dir;

    private static final String DARE = """
            merge_method: dare_ties
            base_model: base
            models:
              - model: a
                parameters: {weight: 0.5, density: 0.5}
              - model: b
                parameters: {weight: [0.2, 0.8], density: 0.7}
            dtype: float32
            """;

    @BeforeAll
    static void models() throws IOException {
        new SyntheticModel("llama", 3, 64, 96, 100, 4, 2, DType.F32, 1).write(dir.resolve("base"), false);
        var base = dev.evomerge.model.ModelDirectory.load(new dev.evomerge.model.ResolvedModel(
                dev.evomerge.model.ModelReference.of("base"), dir.resolve("base"), false), Architectures.builtIn());
        SyntheticModel.perturb(base, dir.resolve("a"), 0.3, 2, false);
        SyntheticModel.perturb(base, dir.resolve("b"), 0.3, 3, false);
        Files.writeString(dir.resolve("dare.yml"), DARE);
    }

    private static MergeResult merge(String config, String out, int threads, long shard, boolean overwrite) {
        return Merge.standard().run(new MergeRequest(dir.resolve(config), dir.resolve(out), 7, shard, threads, 1L << 30,
                overwrite, dir, Map.of()), EventListener.NONE);
    }

    private static List<String> files(Path d) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void run_stochasticMethod_byteIdenticalWithOneTwoOrEightThreads() throws IOException {
        merge("dare.yml", "t1", 1, 40_000, false);
        merge("dare.yml", "t2", 2, 40_000, false);
        merge("dare.yml", "t8", 8, 40_000, false);
        List<String> names = files(dir.resolve("t1"));
        assertTrue(names.contains("model.safetensors.index.json"), names.toString());
        for (String t : List.of("t2", "t8")) {
            assertEquals(names, files(dir.resolve(t)));
            for (String f : names) {
                // the card's title and so the lock's hash of it name the output directory
                if (!f.equals("README.md") && !f.equals("evomerge.lock.json")) {
                    assertArrayEquals(Files.readAllBytes(dir.resolve("t1").resolve(f)),
                            Files.readAllBytes(dir.resolve(t).resolve(f)), t + "/" + f);
                }
            }
        }
        Files.writeString(dir.resolve("dare-seed.yml"), DARE);
        Merge.standard().run(new MergeRequest(dir.resolve("dare.yml"), dir.resolve("seed8"), 8, 40_000, 2, 1L << 30,
                false, dir, Map.of()), EventListener.NONE);
        assertNotEquals(-1, java.util.Arrays.mismatch(
                Files.readAllBytes(dir.resolve("t1/model-00001-of-" + String.format("%05d", names.stream()
                        .filter(n -> n.startsWith("model-")).count()) + ".safetensors")),
                Files.readAllBytes(dir.resolve("seed8").resolve(names.stream().filter(n -> n.startsWith("model-"))
                        .findFirst().orElseThrow()))), "another seed drops other elements");
    }

    @Test
    void run_outputFiles_configTextVerbatimCardAndConfigJson() throws IOException {
        merge("dare.yml", "files", 2, 5_000_000_000L, false);
        Path out = dir.resolve("files");
        assertEquals(List.of("README.md", "config.json", "evomerge.lock.json", "mergekit_config.yml",
                "model.safetensors", "tokenizer.json", "tokenizer_config.json"), files(out));
        assertEquals(DARE, Files.readString(out.resolve("mergekit_config.yml")));
        String card = Files.readString(out.resolve("README.md"));
        assertTrue(card.startsWith("---\nbase_model: []\nlibrary_name: transformers\ntags:\n- mergekit\n- merge\n\n---\n"
                + "# files\n"), card);
        assertTrue(card.contains("merge method using base as a base.\n"), card);
        assertTrue(card.contains("* a\n* b\n"), card);
        assertTrue(card.endsWith("```yaml\n" + DARE + "\n```\n"), card);
        assertArrayEquals(Files.readAllBytes(dir.resolve("base/tokenizer.json")),
                Files.readAllBytes(out.resolve("tokenizer.json")), "the base model's tokenizer");
    }

    @Test
    void toMemory_sameTensorsAsWrittenToDisk() throws IOException {
        merge("dare.yml", "disk", 2, 5_000_000_000L, false);
        MergeConfigFile file = MergeConfigFile.read(dir.resolve("dare.yml"), EventListener.NONE);
        try (MergeModels models = new MergeModels(new ModelResolver(dir, Map.of()), Architectures.builtIn());
                SafetensorsModel disk = SafetensorsModel.open(dir.resolve("disk"))) {
            InMemoryTensors memory = MergeExecutor.toMemory(MergePlanner.plan(file.config(), models,
                    EventListener.NONE), new MergeExecutor.Options(7, 3, 1L << 30), EventListener.NONE);
            assertEquals(disk.names(), memory.names());
            for (String n : disk.names()) {
                assertEquals(-1, disk.bytes(n).mismatch(memory.bytes(n)), n);
            }
        }
    }

    @Test
    void run_existingOutput_refusedBeforeAnyWork() throws IOException {
        Files.createDirectories(dir.resolve("taken"));
        Files.writeString(dir.resolve("taken/keep"), "x");
        var e = assertThrows(InputException.class, () -> merge("dare.yml", "taken", 1, 1L << 30, false));
        assertTrue(e.userMessage().contains("output directory exists and is not empty"), e.userMessage());
        assertEquals(List.of("keep"), files(dir.resolve("taken")));
    }

    @Test
    void run_weightsSummingToZero_failsWithoutLeavingOutput() throws IOException {
        Files.writeString(dir.resolve("zero.yml"), """
                merge_method: linear
                models:
                  - model: a
                    parameters: {weight: 1}
                  - model: b
                    parameters: {weight: -1}
                """);
        var e = assertThrows(RunException.class, () -> merge("zero.yml", "zero", 2, 1L << 30, false));
        assertTrue(e.userMessage().contains("produced Infinity") || e.userMessage().contains("produced -Infinity")
                || e.userMessage().contains("produced NaN"), e.userMessage());
        assertFalse(Files.exists(dir.resolve("zero")));
        try (Stream<Path> s = Files.list(dir)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().startsWith(".zero.")), "no temporary left");
        }
    }
}
