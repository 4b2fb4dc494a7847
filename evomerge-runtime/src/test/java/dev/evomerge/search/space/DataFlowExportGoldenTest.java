package dev.evomerge.search.space;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.evomerge.config.MergeConfig;
import dev.evomerge.config.MergeConfigWriter;
import dev.evomerge.tensor.TensorInfo;
import dev.evomerge.tensor.io.SafetensorsModel;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The data-flow export against mergekit: for each path of {@link DataFlowFixtures#cases()}, the passthrough recipe is
 * the one committed as {@code space/dfs/recipes/<case>.yml}, and the checkpoint {@link DataFlowCheckpoint} writes
 * has exactly (bit for bit) the tensors mergekit wrote from that recipe ({@code space/dfs/mergekit/<case>/}), the
 * same layer count in config.json and the same tokenizer files. Regenerate with
 * {@code src/test/reference/space/dfs_reference.py}.
 */
class DataFlowExportGoldenTest {

    private static final Path WRITTEN = Path.of("target/space-dfs/recipes");

    static Stream<Arguments> cases() {
        return DataFlowFixtures.cases().entrySet().stream().map(e -> Arguments.of(e.getKey(), e.getValue()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void toMergeConfig_goldenPaths_sameRecipeMergekitRan(String name, DataFlowFixtures.Case c) throws IOException {
        String yaml = MergeConfigWriter.write(
                DataFlowRecipe.toMergeConfig(c.path(), DataFlowFixtures.specs(c.models())));
        Files.createDirectories(WRITTEN);
        Files.writeString(WRITTEN.resolve(name + ".yml"), yaml);
        Path committed = DataFlowFixtures.ROOT.resolve("recipes").resolve(name + ".yml");
        assertTrue(Files.exists(committed), committed + " is missing: copy " + WRITTEN.resolve(name + ".yml")
                + " there and rerun dfs_reference.py mergekit");
        assertEquals(Files.readString(committed), yaml, "the exporter's recipe changed: copy " + WRITTEN
                + "/*.yml to " + committed.getParent() + " and rerun dfs_reference.py mergekit");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void write_goldenPaths_sameTensorsAsMergekit(String name, DataFlowFixtures.Case c, @TempDir Path tmp)
            throws IOException {
        Path out = tmp.resolve("exported");
        MergeConfig recipe = DataFlowCheckpoint.write(c.path(), DataFlowFixtures.models(c.models()), out, false);
        Path golden = DataFlowFixtures.ROOT.resolve("mergekit").resolve(name);
        try (SafetensorsModel ours = SafetensorsModel.open(out); SafetensorsModel theirs = SafetensorsModel.open(golden)) {
            assertEquals(List.copyOf(theirs.names()), List.copyOf(ours.names()), "tensor names");
            for (String tensor : theirs.names()) {
                TensorInfo expected = theirs.info(tensor).orElseThrow();
                assertEquals(expected, ours.info(tensor).orElseThrow(), tensor);
                MemorySegment a = theirs.bytes(tensor);
                MemorySegment b = ours.bytes(tensor);
                assertEquals(-1, a.mismatch(b), () -> tensor + " differs: mergekit "
                        + java.util.Arrays.toString(theirs.floats(tensor)) + ", ours "
                        + java.util.Arrays.toString(ours.floats(tensor)));
            }
        }
        ObjectMapper json = new ObjectMapper();
        JsonNode theirConfig = json.readTree(golden.resolve("config.json").toFile());
        JsonNode ourConfig = json.readTree(out.resolve("config.json").toFile());
        assertEquals(c.path().size(), ourConfig.get("num_hidden_layers").asInt());
        assertEquals(theirConfig.get("num_hidden_layers"), ourConfig.get("num_hidden_layers"));
        assertEquals(theirConfig.get("model_type"), ourConfig.get("model_type"));
        assertEquals(theirConfig.get("tie_word_embeddings"), ourConfig.get("tie_word_embeddings"));
        // mergekit leaves layer_types alone, which transformers 5 refuses to save; dfs_reference.py gives it ours
        assertEquals(theirConfig.get("layer_types"), ourConfig.get("layer_types"));
        Set<String> tokenizerFiles = tokenizerFiles(golden);
        assertEquals(tokenizerFiles, tokenizerFiles(out));
        for (String f : tokenizerFiles) {
            assertArrayEquals(Files.readAllBytes(golden.resolve(f)), Files.readAllBytes(out.resolve(f)), f);
        }
        assertEquals(MergeConfigWriter.write(recipe), Files.readString(out.resolve("mergekit_config.yml"),
                StandardCharsets.UTF_8));
    }

    private static Set<String> tokenizerFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("tokenizer"))
                    .collect(java.util.stream.Collectors.toCollection(TreeSet::new));
        }
    }
}
