package dev.evomerge.merge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.evomerge.Merge;
import dev.evomerge.MergeRequest;
import dev.evomerge.event.EventListener;
import dev.evomerge.model.ModelConfig;
import dev.evomerge.tensor.io.SafetensorsModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every golden case made by mergekit itself ({@code src/test/resources/merge/golden}), run through the whole
 * engine (config, planner, executor, writer): gradients, filters, slices with their own {@code t}, stacking,
 * passthrough {@code scale}, parameter precedence, shape rules, and each deterministic method. Tensors must match
 * mergekit's within 1e-6 absolute, with the same names; stacked configs get mergekit's layer count.
 */
class MergeEndToEndParityTest {

    private static final Path GOLDEN = Path.of("src/test/resources/merge/golden");

    @TempDir
    Path tmp;

    static Stream<String> cases() throws IOException {
        try (Stream<Path> s = Files.list(GOLDEN)) {
            return s.filter(p -> Files.exists(p.resolve("config.yml"))).map(p -> p.getFileName().toString())
                    .sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void merge_goldenCase_matchesMergekitWithin1e6(String name) throws IOException {
        Path expectedDir = GOLDEN.resolve(name);
        Path out = tmp.resolve(name);
        Merge.standard().run(new MergeRequest(expectedDir.resolve("config.yml"), out, 0,
                MergeRequest.DEFAULT_SHARD_SIZE, 2, 1L << 28, false, GOLDEN.resolve("models").toAbsolutePath(), Map.of()), EventListener.NONE);
        try (SafetensorsModel ours = SafetensorsModel.open(out); SafetensorsModel theirs =
                SafetensorsModel.open(expectedDir)) {
            assertEquals(List.copyOf(new java.util.TreeSet<>(theirs.names())),
                    List.copyOf(new java.util.TreeSet<>(ours.names())), "tensor names");
            for (String t : theirs.names()) {
                assertEquals(theirs.info(t).orElseThrow().shape(), ours.info(t).orElseThrow().shape(), t);
                float[] a = ours.floats(t);
                float[] b = theirs.floats(t);
                for (int i = 0; i < a.length; i++) {
                    assertTrue(Math.abs(a[i] - b[i]) <= 1e-6, name + " " + t + "[" + i + "]: " + a[i] + " vs "
                            + b[i]);
                }
            }
        }
        ModelConfig theirConfig = ModelConfig.read(expectedDir.resolve("config.json"));
        ModelConfig ourConfig = ModelConfig.read(out.resolve("config.json"));
        assertEquals(theirConfig.requireInt("num_hidden_layers"), ourConfig.requireInt("num_hidden_layers"));
        assertEquals(theirConfig.vocabSize(), ourConfig.vocabSize(), "config.json from the same donor");
    }
}
